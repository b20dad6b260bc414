package storetest

import (
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/snowpat/snowpat/secrets"
)

var lifecycleCases = []testCase{
	{"empty-secret", anyBackend, testEmptySecret},
	{"put-and-read", anyBackend, testPutAndRead},
	{"metadata", anyBackend, testMetadata},
	{"delete", anyBackend, testDelete},
	{"invalid-arguments", anyBackend, testInvalidArguments},
	{"close", anyBackend, testClose},
	{"error-as", anyBackend, testErrorAs},
}

// A secret nobody wrote does not exist: every read and every change of an
// existing version reports ErrNotFound.
func testEmptySecret(e *env) {
	e.expect(map[string]secrets.Stage{})
	_, err := e.s.ByID(e.ctx, "no-such-version")
	e.wantKind("ByID", err, secrets.ErrNotFound)
	_, err = e.s.List(e.ctx)
	e.wantKind("List", err, secrets.ErrNotFound)
	e.wantKind("Promote", e.s.Promote(e.ctx, "no-such-version"), secrets.ErrNotFound)
	e.wantKind("Retire", e.s.Retire(e.ctx, "no-such-version"), secrets.ErrNotFound)
	e.wantKind("Delete", e.s.Delete(e.ctx), secrets.ErrNotFound)
}

// The first Put creates the secret with one current version, readable by
// stage and by id, with a plausible creation time.
func testPutAndRead(e *env) {
	before := time.Now()
	v1 := e.value("v1")
	id := e.mustPut(v1, nil)
	e.expect(map[string]secrets.Stage{id: secrets.StageCurrent})
	cur, err := e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current: %v", e.seen(err))
	}
	// Backends keep their own clocks; an hour of skew is a broken clock,
	// not skew.
	if d := cur.Created.Sub(before); d < -time.Hour || d > time.Hour {
		e.t.Errorf("Created is %s, %s away from the time of the write", cur.Created, d)
	}
	if cur.Metadata != nil {
		e.t.Errorf("a version written without metadata reports %v", cur.Metadata)
	}
	_, err = e.s.ByID(e.ctx, id+"x")
	e.wantKind("ByID of an unknown id", err, secrets.ErrNotFound)
}

// Metadata round-trips exactly, per version, at the portable limits.
func testMetadata(e *env) {
	full := map[string]string{
		// The longest key, the longest value (in bytes, of two-byte
		// runes), an empty value (unless the backend refuses one).
		"k" + strings.Repeat("z", secrets.MaxMetadataKeyLen-1): "",
		"long-value": strings.Repeat("é", secrets.MaxMetadataValueLen/2),
	}
	if e.h.EmptyMetadataValuesRefused != "" {
		full["k"+strings.Repeat("z", secrets.MaxMetadataKeyLen-1)] = "z"
	}
	for i := 0; len(full) < secrets.MaxMetadataEntries; i++ {
		full[string(rune('a'+i))+"_key-"+strings.Repeat("0", i)] = "value " + strings.Repeat("x", i)
	}
	id1 := e.mustPut(e.value("v1"), &secrets.PutOptions{Metadata: full})
	id2 := e.mustPut(e.value("v2"), &secrets.PutOptions{Metadata: map[string]string{"rotated-by": "policy"}})
	id3 := e.mustPendingWithMeta(map[string]string{"pat-name": "powerbi_2025"})
	e.expect(map[string]secrets.Stage{id1: secrets.StagePrevious, id2: secrets.StageCurrent, id3: secrets.StagePending})
	want := map[string]map[string]string{id1: full, id2: {"rotated-by": "policy"}, id3: {"pat-name": "powerbi_2025"}}
	for _, v := range e.list() {
		if !maps.Equal(v.Metadata, want[v.ID]) {
			e.t.Errorf("version %s: metadata %v, want %v", v.ID, v.Metadata, want[v.ID])
		}
	}
	// The Store hands out copies: changing them changes nothing stored.
	cur, err := e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current: %v", e.seen(err))
	}
	cur.Metadata["rotated-by"] = "someone-else"
	cur2, err := e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current: %v", e.seen(err))
	}
	if cur2.Metadata["rotated-by"] != "policy" {
		e.t.Errorf("changing a returned metadata map changed the stored one")
	}
	if e.h.EmptyMetadataValuesRefused != "" {
		e.refusesEmptyMetadataValue()
	}
}

// refusesEmptyMetadataValue checks, for a backend that cannot store an
// empty metadata value, that writing one is refused before anything
// changes.
func (e *env) refusesEmptyMetadataValue() {
	e.t.Helper()
	before := e.list()
	md := map[string]string{"empty": "", "other": "x"}
	_, err := e.put(e.value("empty-md"), &secrets.PutOptions{Metadata: md})
	e.wantKind("Put with an empty metadata value", err, secrets.ErrInvalidArgument)
	_, err = e.putPending(e.value("empty-md-pending"), &secrets.PutOptions{Metadata: md, IdempotencyKey: key("empty")})
	e.wantKind("PutPending with an empty metadata value", err, secrets.ErrInvalidArgument)
	e.unchanged("writes with an empty metadata value", before)
}

func (e *env) mustPendingWithMeta(md map[string]string) string {
	e.t.Helper()
	return e.mustPutPending(e.value("pending"), &secrets.PutOptions{Metadata: md})
}

// Delete removes every version at once; a later Put starts a secret with
// no history.
func testDelete(e *env) {
	v1 := e.mustPut(e.value("v1"), nil)
	e.mustPut(e.value("v2"), nil)
	e.mustPutPending(e.value("p"), nil)
	if err := e.seen(e.s.Delete(e.ctx)); err != nil {
		e.fatalf("Delete: %v", err)
	}
	e.expect(map[string]secrets.Stage{})
	_, err := e.s.ByID(e.ctx, v1)
	e.wantKind("ByID after Delete", err, secrets.ErrNotFound)
	e.wantKind("second Delete", e.s.Delete(e.ctx), secrets.ErrNotFound)
	e.wantKind("Promote after Delete", e.s.Promote(e.ctx, v1), secrets.ErrNotFound)

	id, err := e.put(e.value("again"), nil)
	if errors.Is(err, secrets.ErrAlreadyExists) {
		e.t.Logf("the backend keeps deleted names reserved: %v", err)
		return
	}
	if err != nil {
		e.fatalf("Put after Delete: %v", err)
	}
	e.expect(map[string]secrets.Stage{id: secrets.StageCurrent})
}

// Every argument rule is enforced before the backend sees the call: the
// error is ErrInvalidArgument and the secret is unchanged.
func testInvalidArguments(e *env) {
	id := e.mustPut(e.value("v1"), nil)
	before := e.list()
	v := e.value("rejected")
	badMeta := []map[string]string{
		{"Upper": "x"}, {"1digit": "x"}, {"": "x"}, {"has space": "x"}, {"dot.key": "x"},
		{"k" + strings.Repeat("x", secrets.MaxMetadataKeyLen): "x"},
		{"k": strings.Repeat("x", secrets.MaxMetadataValueLen+1)},
		{"k": "line\nbreak"}, {"k": "\xff\xfe"},
	}
	tooMany := map[string]string{}
	for i := range secrets.MaxMetadataEntries + 1 {
		tooMany[string(rune('a'+i))] = "x"
	}
	badMeta = append(badMeta, tooMany)
	for _, md := range badMeta {
		_, err := e.s.Put(e.ctx, v, &secrets.PutOptions{Metadata: md})
		e.wantKind("Put with bad metadata", err, secrets.ErrInvalidArgument)
		_, err = e.s.PutPending(e.ctx, v, &secrets.PutOptions{Metadata: md})
		e.wantKind("PutPending with bad metadata", err, secrets.ErrInvalidArgument)
	}
	for _, key := range []string{strings.Repeat("k", secrets.MaxIdempotencyKeyLen+1), "has space", "slash/no", "ключ"} {
		_, err := e.s.Put(e.ctx, v, &secrets.PutOptions{IdempotencyKey: key})
		e.wantKind("Put with bad idempotency key", err, secrets.ErrInvalidArgument)
	}
	for _, badID := range []string{"", strings.Repeat("i", secrets.MaxVersionIDLen+1), "new\nline"} {
		_, err := e.s.ByID(e.ctx, badID)
		e.wantKind("ByID(bad id)", err, secrets.ErrInvalidArgument)
		e.wantKind("Promote(bad id)", e.s.Promote(e.ctx, badID), secrets.ErrInvalidArgument)
		e.wantKind("Retire(bad id)", e.s.Retire(e.ctx, badID), secrets.ErrInvalidArgument)
	}
	for _, st := range []secrets.Stage{secrets.StageNone, secrets.StagePrevious + 1} {
		_, err := e.s.ByStage(e.ctx, st)
		e.wantKind("ByStage("+st.String()+")", err, secrets.ErrInvalidArgument)
	}
	if e.s.SupportsCompareAndSwap() {
		_, err := e.s.PutIf(e.ctx, v, secrets.Precondition{}, nil)
		e.wantKind("PutIf with the zero Precondition", err, secrets.ErrInvalidArgument)
		e.wantKind("PromoteIf with the zero Precondition", e.s.PromoteIf(e.ctx, id, secrets.Precondition{}), secrets.ErrInvalidArgument)
	}
	e.unchanged("rejected calls", before)
	e.expect(map[string]secrets.Stage{id: secrets.StageCurrent})
}

// Closing one Store refuses its later calls and leaves other Stores over
// the same secret working.
func testClose(e *env) {
	id := e.mustPut(e.value("v1"), nil)
	other := e.openUnmanaged(e.name)
	if _, err := other.Current(e.ctx); err != nil {
		e.fatalf("second Store: Current: %v", e.seen(err))
	}
	if err := other.Close(); err != nil {
		e.fatalf("Close: %v", err)
	}
	e.wantKind("second Close", other.Close(), secrets.ErrInvalidArgument)
	_, err := other.Current(e.ctx)
	e.wantKind("Current after Close", err, secrets.ErrInvalidArgument)
	_, err = other.Put(e.ctx, e.value("late"), nil)
	e.wantKind("Put after Close", err, secrets.ErrInvalidArgument)
	e.expect(map[string]secrets.Stage{id: secrets.StageCurrent})
}

// The harness's own check that ErrorAs reaches its native errors.
func testErrorAs(e *env) {
	e.mustPut(e.value("v1"), nil)
	_, err := e.s.ByID(e.ctx, "no-such-version")
	e.wantKind("ByID", err, secrets.ErrNotFound)
	if e.s.ErrorAs(nil, new(error)) {
		e.t.Errorf("ErrorAs(nil) reported true")
	}
	func() {
		defer func() {
			if recover() == nil {
				e.t.Errorf("ErrorAs with a nil target did not panic as errors.As does")
			}
		}()
		e.s.ErrorAs(err, nil)
	}()
	if e.h.CheckErrorAs == nil {
		e.t.Skip("the harness has no CheckErrorAs")
	}
	e.h.CheckErrorAs(e.t, e.s, err)
}
