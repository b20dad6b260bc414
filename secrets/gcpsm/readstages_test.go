package gcpsm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// GCP reads one version per AccessSecretVersion and has no batch read, so
// Stages is the Store's three concurrent ByStage reads: per held stage
// GetSecret (the aliases and records) and AccessSecretVersion, per absent
// stage the GetSecret that finds no alias. The package documentation
// quotes these counts.
func TestStagesRequests(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.False(t, f.store.SupportsStagesSnapshot(), "no GCP request reads several versions")
	methods := []string{"GetSecret", "GetSecretVersion", "AccessSecretVersion", "ListSecretVersions"}
	cost := func() map[string]int {
		f.srv.ResetCalls()
		_, err := f.store.Stages(ctx)
		require.NoError(t, err)
		out := map[string]int{}
		for _, m := range methods {
			if n := f.srv.Calls(m); n > 0 {
				out[m] = n
			}
		}
		return out
	}
	_, err := f.store.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetSecret": 3, "AccessSecretVersion": 1}, cost(), "current only")
	p, err := f.store.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetSecret": 3, "AccessSecretVersion": 2}, cost(), "current and pending")
	require.NoError(t, f.store.Promote(ctx, p))
	_, err = f.store.PutPending(ctx, []byte("pat-q"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetSecret": 3, "AccessSecretVersion": 3}, cost(), "all three")
}
