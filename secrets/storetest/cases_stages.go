package storetest

import "github.com/snowpat/snowpat/secrets"

var stageCases = []testCase{
	{"put-shifts-stages", anyBackend, testPutShiftsStages},
	{"rotation", anyBackend, testRotation},
	{"pending-replaces-pending", anyBackend, testPendingReplacesPending},
	{"put-keeps-pending", anyBackend, testPutKeepsPending},
	{"pending-first", anyBackend, testPendingFirst},
	{"promote-current-is-no-op", anyBackend, testPromoteCurrent},
	{"promote-previous-rolls-back", anyBackend, testRollback},
	{"promote-unknown", anyBackend, testPromoteUnknown},
}

type stages = map[string]secrets.Stage

// Put makes the new version current, the old current previous, and the
// old previous stageless but still readable.
func testPutShiftsStages(e *env) {
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	e.expect(stages{a: secrets.StagePrevious, b: secrets.StageCurrent})
	c := e.mustPut(e.value("c"), nil)
	e.expect(stages{a: secrets.StageNone, b: secrets.StagePrevious, c: secrets.StageCurrent})
}

// Two full rotations: pending, promoted, old current kept as previous, the
// previous before it dropped to no stage.
func testRotation(e *env) {
	v1 := e.mustPut(e.value("v1"), nil)
	p1 := e.mustPutPending(e.value("p1"), nil)
	e.expect(stages{v1: secrets.StageCurrent, p1: secrets.StagePending})
	e.mustPromote(p1)
	e.expect(stages{v1: secrets.StagePrevious, p1: secrets.StageCurrent})
	p2 := e.mustPutPending(e.value("p2"), nil)
	e.expect(stages{v1: secrets.StagePrevious, p1: secrets.StageCurrent, p2: secrets.StagePending})
	e.mustPromote(p2)
	e.expect(stages{v1: secrets.StageNone, p1: secrets.StagePrevious, p2: secrets.StageCurrent})
	// A retried promotion of what is now current changes nothing.
	e.mustPromote(p2)
	e.expect(stages{v1: secrets.StageNone, p1: secrets.StagePrevious, p2: secrets.StageCurrent})
}

// A second pending version takes the label from the first.
func testPendingReplacesPending(e *env) {
	v := e.mustPut(e.value("v"), nil)
	p1 := e.mustPutPending(e.value("p1"), nil)
	p2 := e.mustPutPending(e.value("p2"), nil)
	e.expect(stages{v: secrets.StageCurrent, p1: secrets.StageNone, p2: secrets.StagePending})
	// The replaced pending version can still be promoted.
	e.mustPromote(p1)
	e.expect(stages{v: secrets.StagePrevious, p1: secrets.StageCurrent, p2: secrets.StagePending})
}

// A direct Put during a rotation leaves the pending version alone.
func testPutKeepsPending(e *env) {
	v1 := e.mustPut(e.value("v1"), nil)
	p := e.mustPutPending(e.value("p"), nil)
	v2 := e.mustPut(e.value("v2"), nil)
	e.expect(stages{v1: secrets.StagePrevious, p: secrets.StagePending, v2: secrets.StageCurrent})
	e.mustPromote(p)
	e.expect(stages{v1: secrets.StageNone, p: secrets.StageCurrent, v2: secrets.StagePrevious})
}

// A secret can start with a pending version: it exists, has no current
// version until the promotion, and then no previous one.
func testPendingFirst(e *env) {
	p := e.mustPutPending(e.value("p"), nil)
	e.expect(stages{p: secrets.StagePending})
	e.mustPromote(p)
	e.expect(stages{p: secrets.StageCurrent})
}

// Promoting the current version keeps the previous one previous.
func testPromoteCurrent(e *env) {
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	e.mustPromote(b)
	e.expect(stages{a: secrets.StagePrevious, b: secrets.StageCurrent})
}

// Promoting the previous version swaps it with the current one.
func testRollback(e *env) {
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	e.mustPromote(a)
	e.expect(stages{a: secrets.StageCurrent, b: secrets.StagePrevious})
	e.mustPromote(b)
	e.expect(stages{a: secrets.StagePrevious, b: secrets.StageCurrent})
}

func testPromoteUnknown(e *env) {
	a := e.mustPut(e.value("a"), nil)
	before := e.list()
	e.wantKind("Promote(unknown id)", e.s.Promote(e.ctx, a+"-unknown"), secrets.ErrNotFound)
	e.unchanged("Promote(unknown id)", before)
}
