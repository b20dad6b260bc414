package storetest

import (
	"context"
	"errors"

	"github.com/snowpat/snowpat/secrets"
)

// Every case checks Stages against the three ByStage reads after each
// step (see expect); these walk the states a rotation passes through and
// the failures a reader must not mistake for absent stages.
var readStagesCases = []testCase{
	{"stages-in-every-state", anyBackend, testStagesInEveryState},
	{"stages-backend-down", anyBackend, testStagesBackendDown},
}

// On a quiescent secret in each state of a rotation, Stages agrees
// exactly with the three ByStage reads: ErrNotFound before the first
// write and after Delete, the held versions in between.
func testStagesInEveryState(e *env) {
	e.expect(stages{}) // never written
	a := e.mustPut(e.value("a"), nil)
	e.expect(stages{a: secrets.StageCurrent})
	p := e.mustPutPending(e.value("p"), nil)
	e.expect(stages{a: secrets.StageCurrent, p: secrets.StagePending})
	e.mustPromote(p)
	e.expect(stages{a: secrets.StagePrevious, p: secrets.StageCurrent})
	e.mustRetire(a)
	e.expect(stages{a: secrets.StageNone, p: secrets.StageCurrent})
	if err := e.seen(e.s.Delete(e.ctx)); err != nil {
		e.fatalf("Delete: %v", err)
	}
	e.expect(stages{})
}

// With the backend down, Stages fails as ByStage does: with the same kind
// of error, never ErrNotFound (which a rotation would read as "nothing
// stored") and never with some of the stages. Once the backend is back,
// Stages reads the secret unharmed.
func testStagesBackendDown(e *env) {
	if e.h.FailReads == nil {
		e.t.Skipf("the harness cannot take the backend down: %s", e.h.FailReadsUnsupported)
	}
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	p := e.mustPutPending(e.value("p"), nil)

	restore := e.h.FailReads(e.t, e.name)
	var byStage []error
	for _, st := range threeStages {
		_, err := e.s.ByStage(e.ctx, st)
		byStage = append(byStage, e.seen(err))
	}
	got, err := e.s.Stages(e.ctx)
	e.seen(err)
	restore()

	for i, st := range threeStages {
		switch {
		case byStage[i] == nil:
			e.fatalf("ByStage(%s) succeeded with the backend down: the harness's FailReads did not take it down", st)
		case errors.Is(byStage[i], secrets.ErrNotFound):
			e.fatalf("ByStage(%s) with the backend down: %v, which reads as an absent stage", st, byStage[i])
		}
	}
	switch {
	case err == nil:
		e.fatalf("Stages succeeded with the backend down")
	case got != (secrets.Stages{}):
		e.fatalf("Stages returned versions with its error %v", err)
	case kindOf(err) != kindOf(byStage[0]):
		e.fatalf("Stages with the backend down: %v (kind %v); ByStage(current): %v (kind %v)", err, kindOf(err), byStage[0], kindOf(byStage[0]))
	}
	e.expect(stages{a: secrets.StagePrevious, b: secrets.StageCurrent, p: secrets.StagePending})
}

// kindOf is the one code err matches, its context error, or nil when it
// matches none.
func kindOf(err error) error {
	for _, k := range append([]error{context.Canceled, context.DeadlineExceeded}, allKinds...) {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}
