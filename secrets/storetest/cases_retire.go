package storetest

import "github.com/snowpat/snowpat/secrets"

var retireCases = []testCase{
	{"retire", anyBackend, testRetire},
	{"retire-current-conflicts", anyBackend, testRetireCurrent},
	{"retire-pending", anyBackend, testRetirePending},
}

// Retire takes a version's stage away and, where the backend can, disables
// it; either way List keeps it and the rest is untouched. Retiring again
// is a no-op.
func testRetire(e *env) {
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	c := e.mustPut(e.value("c"), nil)
	e.mustRetire(b) // previous
	e.expect(stages{a: secrets.StageNone, b: secrets.StageNone, c: secrets.StageCurrent})
	e.mustRetire(a) // stageless already
	e.mustRetire(a)
	e.expect(stages{a: secrets.StageNone, b: secrets.StageNone, c: secrets.StageCurrent})
	e.wantKind("Retire(unknown id)", e.s.Retire(e.ctx, c+"-unknown"), secrets.ErrNotFound)

	// A disabled version cannot come back through Promote; one that stays
	// enabled (backends that cannot disable) can.
	var disabled bool
	for _, v := range e.list() {
		if v.ID == b {
			disabled = !v.Enabled
		}
	}
	err := e.s.Promote(e.ctx, b)
	if disabled {
		e.wantKind("Promote(disabled)", err, secrets.ErrConflict)
		e.expect(stages{a: secrets.StageNone, b: secrets.StageNone, c: secrets.StageCurrent})
		return
	}
	if err != nil {
		e.fatalf("Promote(retired but enabled): %v", e.seen(err))
	}
	e.expect(stages{a: secrets.StageNone, b: secrets.StageCurrent, c: secrets.StagePrevious})
}

// The current version cannot be retired: a secret with versions always
// has one readers can use.
func testRetireCurrent(e *env) {
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	before := e.list()
	e.wantKind("Retire(current)", e.s.Retire(e.ctx, b), secrets.ErrConflict)
	e.unchanged("Retire(current)", before)
	e.expect(stages{a: secrets.StagePrevious, b: secrets.StageCurrent})
}

// Retiring the pending version abandons a rotation.
func testRetirePending(e *env) {
	a := e.mustPut(e.value("a"), nil)
	p := e.mustPutPending(e.value("p"), nil)
	e.mustRetire(p)
	e.expect(stages{a: secrets.StageCurrent, p: secrets.StageNone})
}
