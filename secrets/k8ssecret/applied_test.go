package k8ssecret

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
)

// lostAnswer is one way a write's update is carried out and its answer
// lost, times in a row.
type lostAnswer struct {
	name  string
	a     k8sfake.Applied
	times int
}

// lostAnswers are the answers the API server, or the way to it, can lose:
// resent by client-go (with a Retry-After, up to its limit and past it),
// or not (without one, or with the connection dropped).
var lostAnswers = []lostAnswer{
	{"500 with Retry-After", k8sfake.Applied{RetryAfter: "0"}, 1},
	{"500 with Retry-After x3", k8sfake.Applied{RetryAfter: "0"}, 3},
	{"500 with Retry-After past client-go's resends", k8sfake.Applied{RetryAfter: "0"}, 12},
	{"429 with Retry-After", k8sfake.Applied{Code: 429, RetryAfter: "0"}, 1},
	{"500", k8sfake.Applied{}, 1},
	{"503", k8sfake.Applied{Code: 503}, 1},
	{"dropped", k8sfake.Applied{Drop: true}, 1},
	{"dropped x3", k8sfake.Applied{Drop: true}, 3},
}

// loseAnswers arms the fault on the fixture's Secret for verb.
func (f *fixture) loseAnswers(verb string, l lostAnswer) {
	for range l.times {
		f.srv.FailAfterApply(verb, "secrets", testNS, testName, l.a)
	}
}

// stagesOf lists the store's versions by stage.
func stagesOf(t *testing.T, s *secrets.Store) map[string]secrets.Stage {
	t.Helper()
	vs, err := s.List(context.Background())
	require.NoError(t, err)
	out := map[string]secrets.Stage{}
	for _, v := range vs {
		out[v.ID] = v.Stage
	}
	return out
}

// A Put or PutPending whose update (or create, for a new Secret) was
// carried out and its answer lost, however client-go handles that,
// succeeds with the version it wrote, which is the only new one and
// holds the stage asked for; with its idempotency key it returns the same
// id again.
func TestPutAppliedThenFailed(t *testing.T) {
	for _, l := range lostAnswers {
		for _, verb := range []string{"create", "update"} {
			for _, pending := range []bool{false, true} {
				for _, keyed := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%s/pending=%t/keyed=%t", l.name, verb, pending, keyed), func(t *testing.T) {
						testPutAppliedThenFailed(t, l, verb, pending, keyed)
					})
				}
			}
		}
	}
}

func testPutAppliedThenFailed(t *testing.T, l lostAnswer, verb string, pending, keyed bool) {
	ctx := context.Background()
	f := newFixture(t, nil)
	want := map[string]secrets.Stage{}
	if verb == "update" {
		base, err := f.store.Put(ctx, []byte("pat-base"), nil)
		require.NoError(t, err)
		want[base] = secrets.StagePrevious
		if pending {
			want[base] = secrets.StageCurrent
		}
	}
	write := f.store.Put
	stage := secrets.StageCurrent
	if pending {
		write, stage = f.store.PutPending, secrets.StagePending
	}
	var o *secrets.PutOptions
	if keyed {
		o = &secrets.PutOptions{IdempotencyKey: "rotation-1"}
	}
	f.loseAnswers(verb, l)
	id, err := write(ctx, []byte("pat-new"), o)
	f.srv.ClearFaults()
	require.NoError(t, err, "the write landed, and the adapter saw its mark")
	want[id] = stage
	assert.Equal(t, want, stagesOf(t, f.store), "one new version, %s", stage)
	v, err := f.store.ByID(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "pat-new", string(v.Value()))
	if !pending {
		assert.Equal(t, "pat-new", string(f.object(t).Data[TokenKey]))
	}
	if keyed {
		again, err := write(ctx, []byte("pat-new"), o)
		require.NoError(t, err)
		assert.Equal(t, id, again)
		assert.Equal(t, want, stagesOf(t, f.store))
	}
}

// The changes that are not Puts, under the same lost answers, succeed
// once: a Destroy or Delete whose resend finds its own work done is not
// "not found", and none of them reports ErrUnavailable for an update the
// server carried out.
func TestChangesAppliedThenFailed(t *testing.T) {
	type state struct{ a, b, c string }
	for _, l := range lostAnswers {
		for _, op := range []struct {
			name  string
			run   func(ctx context.Context, s *secrets.Store, st state) error
			check func(t *testing.T, f *fixture, st state)
		}{
			{"Promote", func(ctx context.Context, s *secrets.Store, st state) error { return s.Promote(ctx, st.c) },
				func(t *testing.T, f *fixture, st state) {
					assert.Equal(t, map[string]secrets.Stage{st.a: secrets.StageNone, st.b: secrets.StagePrevious, st.c: secrets.StageCurrent}, stagesOf(t, f.store))
				}},
			{"PromoteIf", func(ctx context.Context, s *secrets.Store, st state) error {
				return s.PromoteIf(ctx, st.c, secrets.IfCurrent(st.b))
			}, func(t *testing.T, f *fixture, st state) {
				assert.Equal(t, map[string]secrets.Stage{st.a: secrets.StageNone, st.b: secrets.StagePrevious, st.c: secrets.StageCurrent}, stagesOf(t, f.store))
			}},
			{"Retire", func(ctx context.Context, s *secrets.Store, st state) error { return s.Retire(ctx, st.a) },
				func(t *testing.T, f *fixture, st state) {
					_, err := f.store.ByID(context.Background(), st.a)
					assert.ErrorIs(t, err, secrets.ErrNotFound, "retired")
					assert.NotContains(t, f.object(t).Data, versionKey(st.a))
				}},
			{"Destroy", func(ctx context.Context, s *secrets.Store, st state) error { return s.Destroy(ctx, st.a) },
				func(t *testing.T, f *fixture, st state) {
					assert.Equal(t, map[string]secrets.Stage{st.b: secrets.StageCurrent, st.c: secrets.StagePending}, stagesOf(t, f.store))
				}},
			{"Delete", func(ctx context.Context, s *secrets.Store, _ state) error { return s.Delete(ctx) },
				func(t *testing.T, f *fixture, _ state) {
					_, err := f.store.Current(context.Background())
					assert.ErrorIs(t, err, secrets.ErrNotFound)
				}},
		} {
			t.Run(l.name+"/"+op.name, func(t *testing.T) {
				ctx := context.Background()
				f := newFixture(t, nil)
				var st state
				var err error
				st.a, err = f.store.Put(ctx, []byte("pat-a"), nil)
				require.NoError(t, err)
				st.b, err = f.store.Put(ctx, []byte("pat-b"), nil)
				require.NoError(t, err)
				st.c, err = f.store.PutPending(ctx, []byte("pat-c"), nil)
				require.NoError(t, err)
				f.loseAnswers("update", l)
				err = op.run(ctx, f.store, st)
				f.srv.ClearFaults()
				require.NoError(t, err)
				op.check(t, f, st)
			})
		}
	}
}

// The write's update lands, its answer is lost (500 with a Retry-After),
// and another writer's update lands before client-go's resend, which
// then fails 409 on a Secret whose latest write is not this one. The
// write still knows its own (the Secret keeps the marks of the latest
// writes), and does not write a second version on top of both.
func TestAppliedThenAnotherWriter(t *testing.T) {
	ctx := context.Background()
	srv := k8sfake.New()
	a, b := newFixture(t, srv), newFixture(t, srv)
	base, err := a.store.Put(ctx, []byte("pat-base"), nil)
	require.NoError(t, err)
	a.loseAnswers("update", lostAnswer{a: k8sfake.Applied{RetryAfter: "0"}, times: 1})
	var bID string
	updates := 0
	a.link.Hook(func(_ *http.Request, req k8sfake.Request) error {
		if req.Verb == "update" {
			if updates++; updates == 2 { // client-go's resend
				var err error
				bID, err = b.store.Put(ctx, []byte("pat-b"), nil)
				assert.NoError(t, err)
			}
		}
		return nil
	})
	aID, err := a.store.Put(ctx, []byte("pat-a"), nil)
	a.link.Heal()
	require.NoError(t, err)
	require.Equal(t, 2, updates, "client-go resent the update")
	assert.Equal(t, map[string]secrets.Stage{base: secrets.StageNone, aID: secrets.StagePrevious, bID: secrets.StageCurrent},
		stagesOf(t, a.store), "A's one version, then B's on top")
}

// An update that never reached the server is not taken for one that
// landed: the write reports ErrUnavailable and adds nothing.
func TestUnavailableNotLanded(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	base, err := f.store.Put(ctx, []byte("pat-base"), nil)
	require.NoError(t, err)
	f.link.Hook(func(_ *http.Request, req k8sfake.Request) error {
		if req.Verb == "update" {
			return fmt.Errorf("the update is lost on the way")
		}
		return nil
	})
	_, err = f.store.Put(ctx, []byte("pat-new"), nil)
	f.link.Heal()
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	assert.Equal(t, map[string]secrets.Stage{base: secrets.StageCurrent}, stagesOf(t, f.store))
}

// The Secret keeps the marks of the latest keptMarks writes, oldest
// dropped first, and no write is without one.
func TestMarksKept(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	var seen [][]string
	for i := range keptMarks + 4 {
		_, err := f.store.Put(ctx, []byte(fmt.Sprint("pat-", i)), nil)
		require.NoError(t, err)
		sn, err := parse(f.object(t))
		require.NoError(t, err)
		seen = append(seen, sn.writes)
	}
	for i, w := range seen {
		require.Len(t, w, min(i+1, keptMarks))
		if i > 0 {
			prev := seen[i-1]
			assert.Equal(t, prev[len(prev)-len(w)+1:], w[:len(w)-1], "the earlier marks, oldest dropped")
			assert.NotContains(t, prev, w[len(w)-1], "a new mark")
		}
	}
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(seen[len(seen)-1]))), keptMarks, "all distinct")
}
