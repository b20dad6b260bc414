package filestore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets"
)

// Stages takes the directory's lock once and reads everything under it,
// where the three ByStage reads take it three times, each seeing the
// directory at its own moment.
func TestStagesTakesTheLockOnce(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	require.True(t, s.SupportsStagesSnapshot())
	for _, v := range []string{"pat-a", "pat-b"} {
		_, err := s.Put(ctx, []byte(v), nil)
		require.NoError(t, err)
	}
	_, err := s.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)

	locks := 0
	crashHook = func(p string) {
		if p == "lock:opened" {
			locks++
		}
	}
	defer func() { crashHook = nil }()
	got, err := s.Stages(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, locks)
	assert.Equal(t, "pat-b", string(got.Current.Value()))
	assert.Equal(t, "pat-p", string(got.Pending.Value()))
	assert.Equal(t, "pat-a", string(got.Previous.Value()))

	locks = 0
	for _, st := range []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious} {
		_, err := s.ByStage(ctx, st)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, locks, "what Stages replaces")
}
