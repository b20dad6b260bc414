package vaulttest

import (
	"net/http"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Destroy is KV v2's destroy, not Retire's soft delete: the value is gone
// for an operator too (vault kv undelete cannot bring it back), and the
// stage record forgets the version and its idempotency key. A Destroy
// whose destroy request fails has already committed, so no reader sees
// the version; its retry finishes the destroy instead of answering
// not-found while Vault still holds the value.
func TestDestroyErasesTheValue(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	f := newFixture(t, srv, "team/destroy")
	s := openStore(t, srv.ClientAt(t, proxy.Addr()), f.path)
	ctx := t.Context()
	leaked := f.put(t, "leaked", &secrets.PutOptions{IdempotencyKey: "k-leaked"})
	f.put(t, "fresh", nil)

	proxy.FailNext("PUT", Mount+"/destroy/"+f.path, Fault{Status: http.StatusServiceUnavailable, Message: "injected", Exact: true})
	require.ErrorIs(t, s.Destroy(ctx, leaked), secrets.ErrUnavailable)
	meta, err := f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.False(t, meta.Versions[leaked].Destroyed, "the destroy request failed")
	_, err = s.ByID(ctx, leaked)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "but the record no longer names the version")

	require.NoError(t, s.Destroy(ctx, leaked), "the retry finishes")
	meta, err = f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.True(t, meta.Versions[leaked].Destroyed)
	require.NoError(t, f.kv.Undelete(ctx, f.path, []int{atoi(t, leaked)}))
	got, err := f.kv.GetVersion(ctx, f.path, atoi(t, leaked))
	if err == nil {
		assert.Nil(t, got.Data, "an operator cannot read it back either")
		assert.True(t, got.VersionMetadata.Destroyed)
	}

	rec, err := f.kv.Get(ctx, f.path+"/"+vault.RecordName)
	require.NoError(t, err)
	for _, v := range rec.Data["versions"].([]any) {
		assert.NotEqual(t, leaked, v.(map[string]any)["id"], "the record forgets the version")
	}
	require.NoError(t, s.Destroy(ctx, leaked), "destroying again is done")

	// Delete also destroys what a Destroy left undone.
	other := f.put(t, "other", nil)
	f.put(t, "newest", nil)
	proxy.FailNext("PUT", Mount+"/destroy/"+f.path, Fault{Status: http.StatusServiceUnavailable, Message: "injected", Exact: true})
	require.Error(t, s.Destroy(ctx, other))
	require.NoError(t, f.s.Delete(ctx))
	meta, err = f.kv.GetMetadata(ctx, f.path)
	require.NoError(t, err)
	assert.True(t, meta.Versions[other].Destroyed)
}
