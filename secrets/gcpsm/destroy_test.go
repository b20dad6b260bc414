package gcpsm

import (
	"context"
	"testing"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
)

// Destroy leaves GCP holding no payload for the version (DESTROYED), and
// the secret's annotations no idempotency marks for it; one interrupted
// after its commit is finished by a retry.
func TestDestroy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old, err := f.store.Put(ctx, []byte("leaked"), &secrets.PutOptions{IdempotencyKey: "k-old", Metadata: map[string]string{"by": "test"}})
	require.NoError(t, err)
	_, err = f.store.Put(ctx, []byte("fresh"), nil)
	require.NoError(t, err)
	assert.Contains(t, f.secret(t).Annotations["snowpat.v1"], `"k":`)

	f.srv.FailNext("DestroySecretVersion", codes.Unavailable, "injected")
	assert.ErrorIs(t, f.store.Destroy(ctx, old), secrets.ErrUnavailable)
	assert.Equal(t, secretmanagerpb.SecretVersion_ENABLED, f.version(t, old).State, "not destroyed yet")
	_, err = f.store.ByID(ctx, old)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "but no reader sees it any more")

	require.NoError(t, f.store.Destroy(ctx, old), "the retry finishes")
	v := f.version(t, old)
	assert.Equal(t, secretmanagerpb.SecretVersion_DESTROYED, v.State)
	assert.NotNil(t, v.DestroyTime)
	_, err = f.client.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: testName + "/versions/" + old})
	assert.Equal(t, codes.FailedPrecondition, codeOf(err), "the payload is gone")
	rec := f.secret(t).Annotations["snowpat.v1"]
	assert.NotContains(t, rec, `"k":`, "the idempotency marks are dropped")
	assert.NotContains(t, rec, `"h":`)
	assert.Contains(t, rec, `"by":"test"`, "the metadata stays, for List")

	require.NoError(t, f.store.Destroy(ctx, old), "destroying again is done")
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.False(t, vs[0].Enabled)
	assert.Equal(t, map[string]string{"by": "test"}, vs[0].Metadata)
}
