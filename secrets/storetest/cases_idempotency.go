package storetest

import "github.com/snowpat/snowpat/secrets"

var idempotencyCases = []testCase{
	{"idempotent-put", anyBackend, testIdempotentPut},
	{"idempotent-put-pending", anyBackend, testIdempotentPending},
	{"idempotency-key-reuse-conflicts", anyBackend, testKeyReuse},
	{"idempotency-keys-are-independent", anyBackend, testKeysIndependent},
}

func key(label string) string { return "storetest-" + label + "-" + randomHex(8) }

// Repeating a write with its key returns the first id and writes nothing,
// even after later writes moved the stages.
func testIdempotentPut(e *env) {
	k := key("put")
	v := e.value("v")
	md := map[string]string{"by": "test"}
	id := e.mustPut(v, &secrets.PutOptions{IdempotencyKey: k, Metadata: md})
	again := e.mustPut(v, &secrets.PutOptions{IdempotencyKey: k, Metadata: md})
	if again != id {
		e.fatalf("repeated Put returned %s, want %s", again, id)
	}
	e.expect(stages{id: secrets.StageCurrent})
	next := e.mustPut(e.value("next"), nil)
	retry := e.mustPut(v, &secrets.PutOptions{IdempotencyKey: k, Metadata: md})
	if retry != id {
		e.fatalf("Put retried after another write returned %s, want %s", retry, id)
	}
	// The retry did not make the old version current again.
	e.expect(stages{id: secrets.StagePrevious, next: secrets.StageCurrent})
}

// A retried PutPending does not replace a newer pending version nor undo
// a promotion.
func testIdempotentPending(e *env) {
	cur := e.mustPut(e.value("cur"), nil)
	k := key("pending")
	v := e.value("p")
	p := e.mustPutPending(v, &secrets.PutOptions{IdempotencyKey: k})
	e.mustPromote(p)
	again := e.mustPutPending(v, &secrets.PutOptions{IdempotencyKey: k})
	if again != p {
		e.fatalf("repeated PutPending returned %s, want %s", again, p)
	}
	e.expect(stages{cur: secrets.StagePrevious, p: secrets.StageCurrent})
}

// The same key with another value, or other metadata, is a conflict and
// writes nothing.
func testKeyReuse(e *env) {
	k := key("reuse")
	v := e.value("v")
	id := e.mustPut(v, &secrets.PutOptions{IdempotencyKey: k, Metadata: map[string]string{"a": "1"}})
	before := e.list()
	_, err := e.put(e.value("other"), &secrets.PutOptions{IdempotencyKey: k, Metadata: map[string]string{"a": "1"}})
	e.wantKind("same key, other value", err, secrets.ErrConflict)
	_, err = e.put(v, &secrets.PutOptions{IdempotencyKey: k, Metadata: map[string]string{"a": "2"}})
	e.wantKind("same key, other metadata", err, secrets.ErrConflict)
	_, err = e.putPending(e.value("other-pending"), &secrets.PutOptions{IdempotencyKey: k, Metadata: map[string]string{"a": "1"}})
	e.wantKind("same key, other value, pending", err, secrets.ErrConflict)
	e.unchanged("conflicting key reuse", before)
	e.expect(stages{id: secrets.StageCurrent})
}

// Different keys, or no key, write new versions even for equal values.
func testKeysIndependent(e *env) {
	v := e.value("same")
	a := e.mustPut(v, &secrets.PutOptions{IdempotencyKey: key("a")})
	b := e.mustPut(v, &secrets.PutOptions{IdempotencyKey: key("b")})
	c := e.mustPut(v, nil)
	d := e.mustPut(v, nil)
	if a == b || b == c || c == d {
		e.fatalf("distinct writes returned repeated ids: %s %s %s %s", a, b, c, d)
	}
	e.expect(stages{a: secrets.StageNone, b: secrets.StageNone, c: secrets.StagePrevious, d: secrets.StageCurrent})
}
