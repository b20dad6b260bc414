package azkv

import (
	"testing"

	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// List and the idempotency lookup read every page of versions.
func TestManyPages(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.SetPageSize(2)
	ctx := t.Context()
	first := f.put(t, "v0", &secrets.PutOptions{IdempotencyKey: "first"})
	var last string
	for range 4 {
		p := f.putPending(t, "p")
		require.NoError(t, f.s.Promote(ctx, p))
		last = p
	}
	vs, err := f.s.List(ctx)
	require.NoError(t, err)
	assert.Len(t, vs, 5, "originals only, from every page")
	assert.Equal(t, first, vs[0].ID, "oldest first")
	assert.Equal(t, last, vs[4].ID)
	before := f.srv.Calls(azfake.OpGetSecretVersions)
	again := f.put(t, "v0", &secrets.PutOptions{IdempotencyKey: "first"})
	assert.Equal(t, first, again)
	assert.Greater(t, f.srv.Calls(azfake.OpGetSecretVersions)-before, 3, "the lookup paged")
}
