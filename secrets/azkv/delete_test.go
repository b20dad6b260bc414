package azkv

import (
	"net/http"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Delete is Key Vault's soft delete: the name stays reserved, so Put
// fails with ErrAlreadyExists (the 409 reachable through ErrorAs) until
// the deleted secret is purged or recovered.
func TestDeleteReservesTheName(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	old := f.put(t, "pat-a", nil)
	require.NoError(t, f.s.Delete(ctx))

	_, err := f.s.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = f.s.Put(ctx, []byte("pat-b"), nil)
	assert.ErrorIs(t, err, secrets.ErrAlreadyExists)
	assert.Equal(t, http.StatusConflict, responseError(t, err).StatusCode)
	assert.ErrorIs(t, f.s.Delete(ctx), secrets.ErrNotFound)

	d, err := f.raw.GetDeletedSecret(ctx, f.name, nil)
	require.NoError(t, err)
	assert.Equal(t, old, d.ID.Version())
	_, err = f.raw.PurgeDeletedSecret(ctx, f.name, nil)
	require.NoError(t, err)

	id := f.put(t, "pat-b", nil)
	vs, err := f.s.List(ctx)
	require.NoError(t, err)
	require.Len(t, vs, 1, "a purged secret starts again with no history")
	assert.Equal(t, id, vs[0].ID)
	assert.Equal(t, secrets.StageCurrent, vs[0].Stage)
}
