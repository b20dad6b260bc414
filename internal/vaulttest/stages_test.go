package vaulttest

import (
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stages show in the value path's custom metadata, and the stage
// record they copy is a plain KV secret beside it.
func TestStagesVisibleThroughTheRawAPI(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "team/powerbi")
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	p := f.putPending(t, "pat-p")

	meta, err := f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.Equal(t, a, meta.CustomMetadata[vault.MetaCurrent])
	assert.Equal(t, p, meta.CustomMetadata[vault.MetaPending])
	assert.NotContains(t, meta.CustomMetadata, vault.MetaPrevious)

	require.NoError(t, f.s.Promote(ctx, p))
	meta, err = f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.Equal(t, p, meta.CustomMetadata[vault.MetaCurrent])
	assert.Equal(t, a, meta.CustomMetadata[vault.MetaPrevious])
	assert.NotContains(t, meta.CustomMetadata, vault.MetaPending, "a stage nobody holds is removed")

	rec, err := f.kv.Get(ctx, f.path+"/"+vault.RecordName)
	require.NoError(t, err)
	assert.Equal(t, "snowpat-stages/1", rec.Data["format"])
	assert.Equal(t, meta.CustomMetadata[vault.MetaRecordVersion], itoa(rec.VersionMetadata.Version))

	// Custom metadata someone else keeps on the secret survives.
	require.NoError(t, f.kv.PatchMetadata(ctx, f.path, apiPatch(map[string]any{"owner": "bi-team"})))
	f.put(t, "pat-b", nil)
	meta, err = f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.Equal(t, "bi-team", meta.CustomMetadata["owner"])
}

// Each portable version is one KV version; readers that ask Vault for the
// latest one (vault kv get, Agent templates without ?version) get the
// newest written, which during a rotation is the pending one. The current
// one is the version custom metadata names.
func TestVersionsAreKVVersions(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "team/kvversions")
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	f.putPending(t, "pat-p")
	latest, err := f.kv.Get(ctx, f.path)
	require.NoError(t, err)
	assert.Equal(t, "pat-p", latest.Data["value"])
	cur, err := f.kv.GetVersion(ctx, f.path, atoi(t, a))
	require.NoError(t, err)
	assert.Equal(t, "pat-a", cur.Data["value"])

	bin, err := f.s.Put(ctx, []byte{0xff, 0xfe}, nil)
	require.NoError(t, err)
	raw, err := f.kv.GetVersion(ctx, f.path, atoi(t, bin))
	require.NoError(t, err)
	assert.Equal(t, "//4=", raw.Data["value_base64"], "bytes that are not UTF-8 go in value_base64")
}

// Retire soft-deletes the KV version; undeleting it by hand does not bring
// it back into use, since the stage record says it is retired.
func TestRetireSoftDeletes(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "team/retire")
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	f.put(t, "pat-b", nil)
	require.NoError(t, f.s.Retire(ctx, a))

	meta, err := f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.False(t, meta.Versions[a].DeletionTime.IsZero(), "soft-deleted")
	assert.False(t, meta.Versions[a].Destroyed, "not destroyed")
	_, err = f.s.ByID(ctx, a)
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	require.NoError(t, f.kv.Undelete(ctx, f.path, []int{atoi(t, a)}))
	_, err = f.s.ByID(ctx, a)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	assert.ErrorIs(t, f.s.Promote(ctx, a), secrets.ErrConflict)
	require.NoError(t, f.s.Retire(ctx, a), "retiring again re-applies the soft delete")
	meta, err = f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.False(t, meta.Versions[a].DeletionTime.IsZero())
}

// Delete empties the record and destroys the values; numbers are never
// reused, so an old id cannot name a new version.
func TestDeleteDestroys(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "team/delete")
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	b := f.put(t, "pat-b", nil)
	require.NoError(t, f.s.Delete(ctx))
	meta, err := f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.True(t, meta.Versions[a].Destroyed)
	assert.True(t, meta.Versions[b].Destroyed)
	assert.NotContains(t, meta.CustomMetadata, vault.MetaCurrent)

	c := f.put(t, "pat-c", nil)
	assert.Equal(t, map[string]secrets.Stage{c: secrets.StageCurrent}, stages(t, f.s))
	assert.Greater(t, atoi(t, c), atoi(t, b))
}

// A version written with vault kv put is not one the stage record knows:
// snowpat readers do not see it (it is an orphan, like the value of a
// write that failed before its commit), and the next Put goes on as
// before.
func TestRawWritesAreInvisible(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "team/raw")
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	_, err := f.kv.Put(ctx, f.path, map[string]any{"value": "by hand"})
	require.NoError(t, err)
	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, a, cur.ID)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageCurrent}, stages(t, f.s))
	b := f.put(t, "pat-b", nil)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent}, stages(t, f.s))
}

// Past max_versions Vault drops the oldest versions: they leave List, and
// a stage on one is gone with it.
func TestEviction(t *testing.T) {
	srv := Start(t, 3)
	f := newFixture(t, srv, "team/evicted")
	ctx := t.Context()
	var ids []string
	for _, v := range []string{"v1", "v2", "v3", "v4", "v5"} {
		ids = append(ids, f.put(t, v, nil))
	}
	assert.Equal(t, map[string]secrets.Stage{ids[2]: secrets.StageNone, ids[3]: secrets.StagePrevious, ids[4]: secrets.StageCurrent}, stages(t, f.s))
	_, err := f.s.ByID(ctx, ids[0])
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	// Pending versions written without promoting push the current one out.
	for range 3 {
		f.putPending(t, "p")
	}
	_, err = f.s.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "the current version was evicted")
}

// A mount that requires check-and-set on every write works too: the value
// writes carry cas as well.
func TestCASRequiredMount(t *testing.T) {
	srv := Start(t, 1000)
	c := srv.Client(t)
	_, err := c.Logical().WriteWithContext(t.Context(), Mount+"/config", map[string]any{"cas_required": true})
	require.NoError(t, err)
	f := newFixture(t, srv, "team/cas-required")
	a := f.put(t, "a", nil)
	p := f.putPending(t, "p")
	require.NoError(t, f.s.Promote(t.Context(), p))
	require.NoError(t, f.s.Retire(t.Context(), a))
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageNone, p: secrets.StageCurrent}, stages(t, f.s))
}

// A stage record whose latest version was deleted by hand is an error,
// not an empty secret: the stages are not silently dropped, and undelete
// brings them back.
func TestDeletedRecordIsAnError(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "team/record-deleted")
	ctx := t.Context()
	a := f.put(t, "a", nil)
	rec := f.path + "/" + vault.RecordName
	require.NoError(t, f.kv.Delete(ctx, rec))
	_, err := f.s.Current(ctx)
	require.Error(t, err)
	assert.NotErrorIs(t, err, secrets.ErrNotFound)
	assert.Contains(t, err.Error(), "undelete")
	_, err = f.s.Put(ctx, []byte("b"), nil)
	require.Error(t, err, "nor does a write start over")

	meta, err := f.kv.GetMetadata(ctx, rec)
	require.NoError(t, err)
	require.NoError(t, f.kv.Undelete(ctx, rec, []int{meta.CurrentVersion}))
	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, a, cur.ID)
}
