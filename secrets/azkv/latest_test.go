package azkv

import (
	"testing"

	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Through a whole rotation, a reader of the vault's latest version (Power
// BI, Data Factory) reads the current value: never the pending one, and
// the rolled-back one after a rollback.
func TestLatestIsAlwaysCurrent(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	check := func(what, want string) {
		t.Helper()
		assert.Equal(t, want, *f.latest(t).Value, what)
		cur, err := f.s.Current(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, string(cur.Value()), what+": Store.Current")
	}
	a := f.put(t, "pat-a", nil)
	check("after Put", "pat-a")
	p := f.putPending(t, "pat-p")
	check("after PutPending", "pat-a")
	require.NoError(t, f.s.Promote(ctx, p))
	check("after Promote", "pat-p")
	require.NoError(t, f.s.Promote(ctx, a))
	check("after rollback", "pat-a")
	require.NoError(t, f.s.Promote(ctx, p))
	require.NoError(t, f.s.Retire(ctx, a))
	check("after Retire of the previous version", "pat-p")

	// The copies that keep the latest version current are not versions.
	vs, err := f.s.List(ctx)
	require.NoError(t, err)
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []string{a, p}, ids)
	assert.Greater(t, len(f.physicals(t)), 2, "the vault holds the copies")
}

// Reading the current version costs one request when the latest version
// is the current one's original.
func TestCurrentIsOneRequest(t *testing.T) {
	f := newFixture(t, nil)
	f.put(t, "v", nil)
	before := f.srv.Calls(azfake.OpGetSecret)
	_, err := f.s.Current(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, f.srv.Calls(azfake.OpGetSecret)-before)
}

// When the copy that hides a pending version fails, the pending version is
// still written (and readers of the latest version see it, the documented
// window); the next stage change puts the current value back on top.
func TestPendingCopyFailure(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)

	// Hold the pending write, queue a failure for the copy that follows it.
	g := f.srv.Hold(azfake.OpSetSecret)
	type result struct {
		id  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		id, err := f.s.PutPending(ctx, []byte("pat-p"), nil)
		done <- result{id, err}
	}()
	<-g.Arrived()
	for range setAttempts { // every attempt of the copy, so that it fails for good
		f.srv.FailNext(azfake.OpSetSecret, azfake.ErrUnavailable)
	}
	g.Release()
	r := <-done
	require.NoError(t, r.err, "the pending version was written")
	assert.Equal(t, "pat-p", *f.latest(t).Value, "the window the package doc describes")

	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, a, cur.ID, "snowpat readers are not affected")
	pend, err := f.s.ByStage(ctx, secrets.StagePending)
	require.NoError(t, err)
	assert.Equal(t, r.id, pend.ID)

	// Abandoning the rotation repairs the latest version.
	require.NoError(t, f.s.Retire(ctx, r.id))
	assert.Equal(t, "pat-a", *f.latest(t).Value)
	_, err = f.s.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
}

// A version written outside snowpat (the portal, az keyvault secret set)
// becomes current, as it does for every other reader; the stage table it
// replaced is lost.
func TestForeignVersionBecomesCurrent(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	f.putPending(t, "pat-p")
	v := "typed-in-the-portal"
	r, err := f.raw.SetSecret(ctx, f.name, setParams(v), nil)
	require.NoError(t, err)
	foreign := r.ID.Version()

	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, foreign, cur.ID)
	assert.Equal(t, v, string(cur.Value()))
	_, err = f.s.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	b := f.put(t, "pat-b", nil)
	vs, err := f.s.List(ctx)
	require.NoError(t, err)
	stage := map[string]secrets.Stage{}
	for _, v := range vs {
		stage[v.ID] = v.Stage
	}
	assert.Equal(t, secrets.StagePrevious, stage[foreign])
	assert.Equal(t, secrets.StageCurrent, stage[b])
	assert.Equal(t, secrets.StageNone, stage[a])
}
