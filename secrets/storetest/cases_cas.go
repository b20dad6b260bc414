package storetest

import (
	"errors"

	"github.com/snowpat/snowpat/secrets"
)

var casCases = []testCase{
	{"cas-if-absent", withCAS, testIfAbsent},
	{"cas-put-if-current", withCAS, testPutIfCurrent},
	{"cas-promote-if-current", withCAS, testPromoteIfCurrent},
	{"cas-retry-with-key", withCAS, testCASRetry},
	{"cas-unsupported", withoutCAS, testCASUnsupported},
}

// IfAbsent creates the secret once; the second attempt conflicts.
func testIfAbsent(e *env) {
	id, err := e.casPut(e.value("first"), secrets.IfAbsent(), nil)
	if err != nil {
		e.fatalf("PutIf(IfAbsent) on a new secret: %v", err)
	}
	before := e.list()
	_, err = e.casPut(e.value("second"), secrets.IfAbsent(), nil)
	e.wantKind("second PutIf(IfAbsent)", err, secrets.ErrConflict)
	_, err = e.casPutPending(e.value("pending"), secrets.IfAbsent(), nil)
	e.wantKind("PutPendingIf(IfAbsent) on an existing secret", err, secrets.ErrConflict)
	e.unchanged("failed IfAbsent writes", before)
	e.expect(stages{id: secrets.StageCurrent})
}

// PutIf and PutPendingIf write only over the expected current version.
func testPutIfCurrent(e *env) {
	_, err := e.casPut(e.value("x"), secrets.IfCurrent("nothing-yet"), nil)
	e.wantKind("PutIf(IfCurrent) on a new secret", err, secrets.ErrConflict)
	e.expect(stages{})

	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	before := e.list()
	_, err = e.casPut(e.value("stale"), secrets.IfCurrent(a), nil)
	e.wantKind("PutIf(IfCurrent(stale))", err, secrets.ErrConflict)
	_, err = e.casPutPending(e.value("stale-pending"), secrets.IfCurrent(a), nil)
	e.wantKind("PutPendingIf(IfCurrent(stale))", err, secrets.ErrConflict)
	e.unchanged("stale CAS writes", before)

	c, err := e.casPut(e.value("c"), secrets.IfCurrent(b), nil)
	if err != nil {
		e.fatalf("PutIf(IfCurrent(current)): %v", err)
	}
	e.expect(stages{a: secrets.StageNone, b: secrets.StagePrevious, c: secrets.StageCurrent})
	p, err := e.casPutPending(e.value("p"), secrets.IfCurrent(c), nil)
	if err != nil {
		e.fatalf("PutPendingIf(IfCurrent(current)): %v", err)
	}
	e.expect(stages{a: secrets.StageNone, b: secrets.StagePrevious, c: secrets.StageCurrent, p: secrets.StagePending})
}

// PromoteIf promotes only over the expected current version, and a
// promotion that is already done succeeds whatever the precondition.
func testPromoteIfCurrent(e *env) {
	a := e.mustPut(e.value("a"), nil)
	b := e.mustPut(e.value("b"), nil)
	p := e.mustPutPending(e.value("p"), nil)
	before := e.list()
	e.wantKind("PromoteIf(IfCurrent(stale))", e.s.PromoteIf(e.ctx, p, secrets.IfCurrent(a)), secrets.ErrConflict)
	e.wantKind("PromoteIf(IfAbsent)", e.s.PromoteIf(e.ctx, p, secrets.IfAbsent()), secrets.ErrConflict)
	e.unchanged("stale PromoteIf", before)
	if err := e.seen(e.s.PromoteIf(e.ctx, p, secrets.IfCurrent(b))); err != nil {
		e.fatalf("PromoteIf(IfCurrent(current)): %v", err)
	}
	e.expect(stages{a: secrets.StageNone, b: secrets.StagePrevious, p: secrets.StageCurrent})
	if err := e.seen(e.s.PromoteIf(e.ctx, p, secrets.IfCurrent(b))); err != nil {
		e.fatalf("retried PromoteIf: %v", err)
	}
	e.expect(stages{a: secrets.StageNone, b: secrets.StagePrevious, p: secrets.StageCurrent})
	e.wantKind("PromoteIf(unknown)", e.s.PromoteIf(e.ctx, p+"-unknown", secrets.IfCurrent(p)), secrets.ErrNotFound)
}

// The idempotency key is checked before the precondition: a retried PutIf
// whose first attempt committed gets its id back, not a conflict.
func testCASRetry(e *env) {
	a := e.mustPut(e.value("a"), nil)
	k := key("cas")
	v := e.value("b")
	b, err := e.casPut(v, secrets.IfCurrent(a), &secrets.PutOptions{IdempotencyKey: k})
	if err != nil {
		e.fatalf("PutIf: %v", err)
	}
	again, err := e.casPut(v, secrets.IfCurrent(a), &secrets.PutOptions{IdempotencyKey: k})
	if err != nil || again != b {
		e.fatalf("retried PutIf: got %q, %v; want %q, nil", again, err, b)
	}
	e.expect(stages{a: secrets.StagePrevious, b: secrets.StageCurrent})
}

// Without compare-and-swap every CAS call fails with ErrUnsupported, also
// matching errors.ErrUnsupported, and writes nothing.
func testCASUnsupported(e *env) {
	a := e.mustPut(e.value("a"), nil)
	p := e.mustPutPending(e.value("p"), nil)
	before := e.list()
	_, err := e.casPut(e.value("x"), secrets.IfCurrent(a), nil)
	e.wantKind("PutIf", err, secrets.ErrUnsupported)
	if !errors.Is(err, errors.ErrUnsupported) {
		e.t.Errorf("PutIf: %v does not match errors.ErrUnsupported", err)
	}
	_, err = e.casPutPending(e.value("y"), secrets.IfAbsent(), nil)
	e.wantKind("PutPendingIf", err, secrets.ErrUnsupported)
	e.wantKind("PromoteIf", e.s.PromoteIf(e.ctx, p, secrets.IfCurrent(a)), secrets.ErrUnsupported)
	e.unchanged("unsupported CAS calls", before)
}

func (e *env) casPut(v []byte, pre secrets.Precondition, o *secrets.PutOptions) (string, error) {
	id, err := e.s.PutIf(e.ctx, v, pre, o)
	if err == nil {
		e.recordVersion(id, v)
	}
	return id, e.seen(err)
}

func (e *env) casPutPending(v []byte, pre secrets.Precondition, o *secrets.PutOptions) (string, error) {
	id, err := e.s.PutPendingIf(e.ctx, v, pre, o)
	if err == nil {
		e.recordVersion(id, v)
	}
	return id, e.seen(err)
}
