package memstore

import (
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Stores opened with one name, directly or by URL, share one secret;
// NewStore's do not share with anyone.
func TestSharing(t *testing.T) {
	ctx := t.Context()
	a := OpenStore("sharing/powerbi")
	b, err := secrets.OpenStore(ctx, "mem://sharing/powerbi")
	require.NoError(t, err)
	id, err := a.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	cur, err := b.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)

	other, err := secrets.OpenStore(ctx, "mem://sharing")
	require.NoError(t, err)
	_, err = other.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "a prefix of the name is another secret")

	n1, n2 := NewStore(), NewStore()
	_, err = n1.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	_, err = n2.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	// Closing one Store leaves the secret to the others.
	require.NoError(t, a.Close())
	_, err = b.Current(ctx)
	assert.NoError(t, err)
	require.NoError(t, b.Delete(ctx))
}

// Ids are not reused after Delete, so a stale id cannot name a new
// version.
func TestIDsNotReusedAfterDelete(t *testing.T) {
	ctx := t.Context()
	s := NewStore()
	old, err := s.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx))
	fresh, err := s.Put(ctx, []byte("w"), nil)
	require.NoError(t, err)
	assert.NotEqual(t, old, fresh)
	_, err = s.ByID(ctx, old)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
}

func TestURLs(t *testing.T) {
	for _, u := range []string{"mem://", "mem://x?ttl=1", "mem://x#frag", "mem://user@x", "mem:opaque"} {
		_, err := secrets.OpenStore(t.Context(), u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
}
