package storetest

import (
	"bytes"
	"errors"

	"github.com/snowpat/snowpat/secrets"
)

var destroyCases = []testCase{
	{"destroy", anyBackend, testDestroy},
}

// Destroy erases a version for good where the backend can: it can no
// longer be read, keeps no stage, and the current version is refused; a
// write repeated with a destroyed version's idempotency key writes a new,
// readable version instead of answering with the erased one. A backend
// without the capability says so with ErrUnsupported and changes nothing.
func testDestroy(e *env) {
	ka := key("destroy-a")
	va := e.value("a")
	a := e.mustPut(va, &secrets.PutOptions{IdempotencyKey: ka})
	b := e.mustPut(e.value("b"), nil)
	p := e.mustPutPending(e.value("p"), nil)
	if !e.s.SupportsDestroy() {
		before := e.list()
		e.wantKind("Destroy(unsupported)", e.s.Destroy(e.ctx, a), secrets.ErrUnsupported)
		e.unchanged("Destroy(unsupported)", before)
		return
	}
	before := e.list()
	e.wantKind("Destroy(current)", e.s.Destroy(e.ctx, b), secrets.ErrConflict)
	e.unchanged("Destroy(current)", before)
	for _, id := range []string{a, p} { // previous, pending
		if err := e.s.Destroy(e.ctx, id); err != nil {
			e.fatalf("Destroy(%s): %v", id, e.seen(err))
		}
		if v, err := e.s.ByID(e.ctx, id); !errors.Is(err, secrets.ErrNotFound) {
			e.fatalf("ByID(destroyed %s) = %v, %v; want ErrNotFound", id, v, e.seen(err))
		}
		// A second destroy is done already.
		if err := e.s.Destroy(e.ctx, id); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			e.fatalf("Destroy(%s) again: %v", id, e.seen(err))
		}
	}
	for _, v := range e.list() {
		if (v.ID == a || v.ID == p) && (v.Stage != secrets.StageNone || v.Enabled) {
			e.fatalf("destroyed version %s is still listed as %s, enabled=%t", v.ID, v.Stage, v.Enabled)
		}
	}
	if _, err := e.s.ByStage(e.ctx, secrets.StagePending); !errors.Is(err, secrets.ErrNotFound) {
		e.fatalf("the destroyed pending version still holds the pending stage: %v", e.seen(err))
	}
	cur, err := e.s.Current(e.ctx)
	if err != nil || cur.ID != b {
		e.fatalf("Current after destroys = %v, %v; want %s", cur, e.seen(err), b)
	}
	if err := e.s.Promote(e.ctx, a); !errors.Is(err, secrets.ErrNotFound) && !errors.Is(err, secrets.ErrConflict) {
		e.fatalf("Promote(destroyed %s) = %v; want ErrNotFound or ErrConflict", a, e.seen(err))
	}

	// The key of a destroyed version no longer answers with it: the write
	// happens again, and what it reports can be read.
	again := e.mustPut(va, &secrets.PutOptions{IdempotencyKey: ka})
	v, err := e.s.ByID(e.ctx, again)
	if err != nil || !bytes.Equal(v.Value(), va) {
		e.fatalf("Put with the destroyed version's key returned %s, whose read is %v, %v; want a readable copy of the value", again, v, e.seen(err))
	}
	cur, err = e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current after the rewrite: %v", e.seen(err))
	}
	e.checkVersion("Current after the rewrite", cur, again, secrets.StageCurrent)
}
