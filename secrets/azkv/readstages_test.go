package azkv

import (
	"testing"

	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Key Vault reads one version per GetSecret, so Stages is the Store's
// three concurrent ByStage reads: each reads the latest version (the
// stage table, and the current value when the latest is current), and a
// held stage whose version is not the latest reads that version too. The
// package documentation quotes these counts.
func TestStagesRequests(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	require.False(t, f.s.SupportsStagesSnapshot(), "no Key Vault request reads several versions")
	ops := []string{azfake.OpGetSecret, azfake.OpGetSecretVersions}
	cost := func() map[string]int {
		before := map[string]int{}
		for _, op := range ops {
			before[op] = f.srv.Calls(op)
		}
		_, err := f.s.Stages(ctx)
		require.NoError(t, err)
		out := map[string]int{}
		for _, op := range ops {
			if n := f.srv.Calls(op) - before[op]; n > 0 {
				out[op] = n
			}
		}
		return out
	}
	f.put(t, "pat-a", nil)
	assert.Equal(t, map[string]int{azfake.OpGetSecret: 3}, cost(), "current only")
	p, err := f.s.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{azfake.OpGetSecret: 5}, cost(), "current and pending")
	require.NoError(t, f.s.Promote(ctx, p))
	_, err = f.s.PutPending(ctx, []byte("pat-q"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{azfake.OpGetSecret: 6}, cost(), "all three")
}
