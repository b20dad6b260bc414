package awssm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// AWS reads one version per request, so Stages is the Store's three
// concurrent ByStage reads: per held stage GetSecretValue and the
// metadata companion's GetSecretValue, per absent stage the one
// GetSecretValue that finds no label. The package documentation quotes
// these counts.
func TestStagesRequests(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	require.False(t, f.store.SupportsStagesSnapshot(), "no AWS request reads several stages")
	ops := []string{"GetSecretValue", "DescribeSecret", "ListSecretVersionIds", "BatchGetSecretValue"}
	cost := func() map[string]int {
		f.srv.ResetCalls()
		_, err := f.store.Stages(ctx)
		require.NoError(t, err)
		out := map[string]int{}
		for _, op := range ops {
			if n := f.srv.Calls(op); n > 0 {
				out[op] = n
			}
		}
		return out
	}
	_, err := f.store.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetSecretValue": 4}, cost(), "current only")
	p, err := f.store.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetSecretValue": 5}, cost(), "current and pending")
	require.NoError(t, f.store.Promote(ctx, p))
	_, err = f.store.PutPending(ctx, []byte("pat-q"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetSecretValue": 6}, cost(), "all three")
}
