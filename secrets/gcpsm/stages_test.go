package gcpsm

import (
	"context"
	"testing"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Stages are version aliases on the secret, which any GCP client can read
// by name; metadata is in the secret's annotations; values are the
// versions' payloads, byte for byte.
func TestAliasesVisibleOnTheSecret(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1, err := f.store.Put(ctx, []byte("one"), &secrets.PutOptions{Metadata: map[string]string{"token_name": "a"}})
	require.NoError(t, err)
	p, err := f.store.PutPending(ctx, []byte("two"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"current": 1, "pending": 2}, f.secret(t).VersionAliases)
	assert.Equal(t, []string{"1", "2"}, []string{v1, p})

	require.NoError(t, f.store.Promote(ctx, p))
	sec := f.secret(t)
	assert.Equal(t, map[string]int64{"current": 2, "previous": 1}, sec.VersionAliases)
	assert.Contains(t, sec.Annotations["snowpat.v1"], `"token_name":"a"`)
	assert.NotContains(t, sec.Annotations["snowpat.v1"], "one")

	got, err := f.client.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: testName + "/versions/current"})
	require.NoError(t, err)
	assert.Equal(t, "two", string(got.Payload.Data), "consumers read versions/current")

	require.NoError(t, f.store.Retire(ctx, v1))
	assert.Equal(t, map[string]int64{"current": 2}, f.secret(t).VersionAliases)
	assert.Equal(t, secretmanagerpb.SecretVersion_DISABLED, f.version(t, v1).State)
	assert.Equal(t, "1", f.secret(t).Annotations["snowpat.retired"])
}

// With WithDestroyRetired a retired version is destroyed: unreadable for
// good, listed as disabled, and refused by Promote.
func TestDestroyedVersions(t *testing.T) {
	f := newFixture(t, WithDestroyRetired())
	ctx := context.Background()
	v1, err := f.store.Put(ctx, []byte("one"), nil)
	require.NoError(t, err)
	_, err = f.store.Put(ctx, []byte("two"), nil)
	require.NoError(t, err)
	require.NoError(t, f.store.Retire(ctx, v1))
	assert.Equal(t, secretmanagerpb.SecretVersion_DESTROYED, f.version(t, v1).State)

	_, err = f.store.ByID(ctx, v1)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.False(t, vs[0].Enabled)
	assert.ErrorIs(t, f.store.Promote(ctx, v1), secrets.ErrConflict)
	require.NoError(t, f.store.Retire(ctx, v1), "retiring again is a no-op")

	// A version another tool destroyed reads as not found: GCP's
	// FAILED_PRECONDITION on access, mapped.
	v3, err := f.store.PutPending(ctx, []byte("three"), nil)
	require.NoError(t, err)
	_, err = f.client.DestroySecretVersion(ctx, &secretmanagerpb.DestroySecretVersionRequest{Name: testName + "/versions/" + v3})
	require.NoError(t, err)
	_, err = f.store.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	assert.ErrorIs(t, f.store.Promote(ctx, v3), secrets.ErrConflict)
}

// A version added by another tool is hidden while it could be a write in
// flight, then listed without a stage; Promote adopts it.
func TestForeignVersions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("one"), nil)
	require.NoError(t, err)
	_, err = f.client.AddSecretVersion(ctx, &secretmanagerpb.AddSecretVersionRequest{Parent: testName, Payload: &secretmanagerpb.SecretPayload{Data: []byte("foreign")}})
	require.NoError(t, err)
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	assert.Len(t, vs, 1, "young and unknown: possibly a write in flight")
	_, err = f.store.ByID(ctx, "2")
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	f.d.window = 0
	vs, err = f.store.List(ctx)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, secrets.StageNone, vs[1].Stage)
	require.NoError(t, f.store.Promote(ctx, "2"))
	f.d.window = inFlightWindow
	cur, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, "foreign", string(cur.Value()))
	assert.Contains(t, f.secret(t).Annotations, "snowpat.v2", "adopted")
}
