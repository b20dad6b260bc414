package storetest

import (
	"fmt"
	"slices"

	"github.com/snowpat/snowpat/secrets"
)

// appliedFaultCases are the "write-applied-then-failed" cases: a write
// whose request the backend carries out and then fails to answer, once or
// several times in a row, at each step of the write. An SDK that retries
// the failure sends the write again; whatever it does, the adapter must
// end with exactly one new version, holding the stage the write asked
// for, and a retry with the write's idempotency key must return it.
func appliedFaultCases() []testCase {
	var out []testCase
	for _, step := range []WriteStep{StepStore, StepCommit} {
		for _, times := range []int{1, 3} {
			for _, drop := range []bool{false, true} {
				f := WriteFault{Step: step, Times: times, Drop: drop}
				how := "error"
				if drop {
					how = "drop"
				}
				name := fmt.Sprintf("write-applied-then-failed/%s-%s-x%d", step, how, times)
				out = append(out, testCase{name, anyBackend, func(e *env) { testAppliedThenFailed(e, f) }})
			}
		}
	}
	return out
}

// testAppliedThenFailed faults a keyed Put, a keyed PutPending and the
// same two without a key, on a secret that already has a current version.
func testAppliedThenFailed(e *env, f WriteFault) {
	if e.h.ApplyThenFail == nil {
		e.t.Skip("the harness cannot inject faults: " + e.h.ApplyThenFailUnsupported)
	}
	want := stages{e.mustPut(e.value("base"), nil): secrets.StageCurrent}
	for _, w := range []struct{ pending, keyed bool }{{false, true}, {true, true}, {false, false}, {true, false}} {
		want = e.faultedWrite(f, w.pending, w.keyed, want)
	}
}

// faultedWrite makes one write under fault f and checks the outcome. It
// returns the stages the secret has afterwards.
func (e *env) faultedWrite(f WriteFault, pending, keyed bool, want stages) stages {
	e.t.Helper()
	what := fmt.Sprintf("%s (pending %t, keyed %t)", e.t.Name(), pending, keyed)
	write := e.put
	if pending {
		write = e.putPending
	}
	var o *secrets.PutOptions
	if keyed {
		o = &secrets.PutOptions{IdempotencyKey: key("applied")}
	}
	v := e.value("faulted")
	before := e.list()
	disarm := e.h.ApplyThenFail(e.t, e.name, f)
	id, err := write(v, o)
	disarm()
	switch {
	case err != nil && keyed:
		// Whether the write happened is unknown to the caller, and the
		// contract's answer is to retry it with its key.
		e.wantKind(what, err, secrets.ErrUnavailable)
		if id, err = write(v, o); err != nil {
			e.fatalf("%s: the retry with the idempotency key: %v", what, err)
		}
	case err != nil:
		// Without a key the write may have happened or not, but at most
		// once.
		e.wantKind(what, err, secrets.ErrUnavailable)
		id = e.newVersion(what, before, v)
	}
	if id == "" {
		e.expect(want)
		return want
	}
	want = afterWrite(want, id, pending)
	e.expect(want)
	if keyed {
		again, err := write(v, o)
		if err != nil || again != id {
			e.fatalf("%s: repeating the write with its key returned %q, %v; want %s", what, again, err, id)
		}
		e.expect(want)
	}
	if pending {
		e.mustPromote(id)
		want = afterWrite(want, id, false)
		e.expect(want)
	}
	return want
}

// newVersion returns the version a failed write left, if it left one (and
// "" if not), failing if it left more than one.
func (e *env) newVersion(what string, before []secrets.VersionInfo, v []byte) string {
	e.t.Helper()
	var added []string
	for _, x := range e.list() {
		if !slices.ContainsFunc(before, func(b secrets.VersionInfo) bool { return b.ID == x.ID }) {
			added = append(added, x.ID)
		}
	}
	switch len(added) {
	case 0:
		return ""
	case 1:
		e.recordVersion(added[0], v)
		return added[0]
	}
	e.fatalf("%s: one failed write left %d versions: %v", what, len(added), added)
	return ""
}

// afterWrite is want once version id was written (or, with pending
// false, promoted): a new current makes the old one previous and the old
// previous stageless; a new pending makes the old pending stageless.
func afterWrite(want stages, id string, pending bool) stages {
	next := stages{}
	for v, st := range want {
		switch {
		case v == id:
		case pending && st == secrets.StagePending, !pending && st == secrets.StagePrevious:
			st = secrets.StageNone
		case !pending && st == secrets.StageCurrent:
			st = secrets.StagePrevious
		}
		next[v] = st
	}
	next[id] = secrets.StageCurrent
	if pending {
		next[id] = secrets.StagePending
	}
	return next
}
