package k8ssecret

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
)

// Stages is one GET of the Secret, where the three ByStage reads are
// three: the API server's request log says so.
func TestStagesIsOneRequest(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	require.True(t, f.store.SupportsStagesSnapshot())
	for _, v := range []string{"pat-a", "pat-b"} {
		_, err := f.store.Put(ctx, []byte(v), nil)
		require.NoError(t, err)
	}
	p, err := f.store.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)

	before := len(f.srv.Requests())
	got, err := f.store.Stages(ctx)
	require.NoError(t, err)
	assert.Equal(t, []k8sfake.Request{{Verb: "get", Resource: "secrets", Namespace: testNS, Name: testName}}, f.srv.Requests()[before:])
	assert.Equal(t, "pat-b", string(got.Current.Value()))
	assert.Equal(t, "pat-a", string(got.Previous.Value()))
	assert.Equal(t, p, got.Pending.ID)

	before = len(f.srv.Requests())
	for _, st := range []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious} {
		_, err := f.store.ByStage(ctx, st)
		require.NoError(t, err)
	}
	assert.Len(t, f.srv.Requests()[before:], 3, "what Stages replaces")
}
