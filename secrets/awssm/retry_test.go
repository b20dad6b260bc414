package awssm

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests keep the SDK's default retryer, backoff included (from 50
// milliseconds, jittered), as users of the URL opener and of
// secretsmanager.NewFromConfig get it.

// Through the URL opener: a PutSecretValue carried out and then answered
// with a 500 is resent by the SDK with the same ClientRequestToken, which
// AWS treats as a no-op, so the secret has one new version and Put
// returns it.
func TestDefaultRetriesURLOpener(t *testing.T) {
	offlineCredentials(t)
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	ctx := context.Background()
	s, err := secrets.OpenStore(ctx, "awssm://team/powerbi?region=us-east-1&endpoint="+url.QueryEscape(srv.URL()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	a, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)

	srv.FailAfterApply("PutSecretValue", "team/powerbi", awsfake.Applied{})
	srv.ResetCalls()
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-1"}
	b, err := s.Put(ctx, []byte("pat-b"), opts)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Calls("PutSecretValue"), "the companion's entry, then the write and the SDK's resend")
	assertStages(t, s, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent})
	again, err := s.Put(ctx, []byte("pat-b"), opts)
	require.NoError(t, err)
	assert.Equal(t, b, again)
}

// Through a client built as secretsmanager.New builds it by default: a
// PutPending whose connection drops twice after the write, and a Put
// without a key answered with 500 on every attempt, which reaches the
// caller although the first attempt wrote. Either way the secret holds
// one version per write, with the stage asked for.
func TestDefaultRetriesNewClient(t *testing.T) {
	t.Parallel()
	srv, s := defaultRetryStore(t, "team/tableau")
	ctx := context.Background()
	a, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)

	srv.FailAfterApply("PutSecretValue", "team/tableau", awsfake.Applied{Drop: true})
	srv.FailAfterApply("PutSecretValue", "team/tableau", awsfake.Applied{Drop: true})
	p, err := s.PutPending(ctx, []byte("pat-p"), &secrets.PutOptions{IdempotencyKey: "rotation-2"})
	require.NoError(t, err)
	assertStages(t, s, map[string]secrets.Stage{a: secrets.StageCurrent, p: secrets.StagePending})
	require.NoError(t, s.Promote(ctx, p))

	for range 3 {
		srv.FailAfterApply("PutSecretValue", "team/tableau", awsfake.Applied{Code: http.StatusServiceUnavailable})
	}
	_, err = s.Put(ctx, []byte("pat-c"), nil)
	require.ErrorIs(t, err, secrets.ErrUnavailable, "three attempts, three lost answers")
	cur, err := s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, "pat-c", string(cur.Value()), "the first attempt wrote")
	assertStages(t, s, map[string]secrets.Stage{a: secrets.StageNone, p: secrets.StagePrevious, cur.ID: secrets.StageCurrent})
}

// defaultRetryStore is a Store over the secret called name in a fresh
// fake, through a client with the SDK's default retryer, as
// secretsmanager.New makes it when the caller sets none.
func defaultRetryStore(t *testing.T, name string) (*awsfake.Server, *secrets.Store) {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	s, err := New(srv.NewClient(func(o *secretsmanager.Options) { o.Retryer = retry.NewStandard() }), name)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return srv, s
}

// assertStages checks the whole secret: every version and its stage.
func assertStages(t *testing.T, s *secrets.Store, want map[string]secrets.Stage) {
	t.Helper()
	vs, err := s.List(context.Background())
	require.NoError(t, err)
	got := map[string]secrets.Stage{}
	for _, v := range vs {
		got[v.ID] = v.Stage
	}
	assert.Equal(t, want, got)
}

// Label moves and the metadata companion's compare-and-swap, carried out
// and then answered with a 500: the SDK's resend is refused (the label
// is no longer where RemoveFromVersionId says), and the adapter, reading
// the secret again, finds its own change done.
func TestDefaultRetriesLabelMoves(t *testing.T) {
	t.Parallel()
	srv, s := defaultRetryStore(t, "team/looker")
	ctx := context.Background()
	a, err := s.Put(ctx, []byte("pat-a"), &secrets.PutOptions{Metadata: map[string]string{"n": "1"}})
	require.NoError(t, err)

	srv.FailAfterApply("UpdateSecretVersionStage", "team/looker"+indexSuffix, awsfake.Applied{})
	md := map[string]string{"n": "2"}
	p, err := s.PutPending(ctx, []byte("pat-p"), &secrets.PutOptions{Metadata: md, IdempotencyKey: "rotation-3"})
	require.NoError(t, err)
	v, err := s.ByID(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, md, v.Metadata, "the companion's swap landed once")

	srv.FailAfterApply("UpdateSecretVersionStage", "team/looker", awsfake.Applied{})
	require.NoError(t, s.Promote(ctx, p))
	assertStages(t, s, map[string]secrets.Stage{a: secrets.StagePrevious, p: secrets.StageCurrent})

	srv.FailAfterApply("UpdateSecretVersionStage", "team/looker", awsfake.Applied{Drop: true})
	require.NoError(t, s.Retire(ctx, a))
	assertStages(t, s, map[string]secrets.Stage{a: secrets.StageNone, p: secrets.StageCurrent})
}
