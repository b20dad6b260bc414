package gcpsm

import (
	"context"
	"testing"
	"time"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"github.com/googleapis/gax-go/v2"
	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/api/option"
	"google.golang.org/grpc/codes"
)

// defaultFixture is newFixture with the client's default call options,
// as secretmanager.NewClient gives them to users (and the URL opener):
// no retries of any write.
func defaultFixture(t *testing.T) *fixture {
	t.Helper()
	srv := gcpfake.New()
	t.Cleanup(srv.Close)
	conn, err := srv.Dial()
	require.NoError(t, err)
	client, err := secretmanager.NewClient(context.Background(), option.WithGRPCConn(conn))
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	d, err := newSecret(client, testName)
	require.NoError(t, err)
	return &fixture{srv: srv, client: client, d: d, store: secrets.NewStore(d)}
}

func (f *fixture) stages(t *testing.T) map[string]secrets.Stage {
	t.Helper()
	vs, err := f.store.List(context.Background())
	require.NoError(t, err)
	out := map[string]secrets.Stage{}
	for _, v := range vs {
		out[v.ID] = v.Stage
	}
	return out
}

// A CreateSecret that GCP carried out and then failed to answer (an error
// status or a dropped connection) no longer fails the first write: the
// adapter loads the secret again and finds it made.
func TestCreateAppliedThenFailed(t *testing.T) {
	for _, a := range []gcpfake.Applied{{}, {Drop: true}, {Code: int(codes.Internal)}} {
		f := defaultFixture(t)
		ctx := context.Background()
		f.srv.FailAfterApply("CreateSecret", testName, a)
		id, err := f.store.Put(ctx, []byte("pat-a"), &secrets.PutOptions{IdempotencyKey: "first"})
		require.NoError(t, err, "%+v", a)
		assert.Equal(t, map[string]secrets.Stage{id: secrets.StageCurrent}, f.stages(t))
		assert.Equal(t, 1, f.srv.Calls("CreateSecret"))
	}
}

// The commit (UpdateSecret) carried out and then failed: the adapter
// re-reads, finds the version recorded, and reports the write done.
func TestCommitAppliedThenFailed(t *testing.T) {
	f := defaultFixture(t)
	ctx := context.Background()
	a, err := f.store.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	f.srv.FailAfterApply("UpdateSecret", testName, gcpfake.Applied{Drop: true})
	p, err := f.store.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageCurrent, p: secrets.StagePending}, f.stages(t))
}

// AddSecretVersion carried out and then failed: GCP has no request id for
// it, so the adapter never learns the new version's number, and the write
// fails with ErrUnavailable. The retry with the idempotency key writes
// and commits another version, which is the one written. The first stays
// unrecorded: hidden for the in-flight window, then listed without a
// stage, never current or pending, and never what a replay returns.
func TestAddVersionAppliedThenFailed(t *testing.T) {
	f := defaultFixture(t)
	ctx := context.Background()
	a, err := f.store.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	f.srv.FailAfterApply("AddSecretVersion", testName, gcpfake.Applied{Drop: true})
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-1"}
	_, err = f.store.Put(ctx, []byte("pat-b"), opts)
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	b, err := f.store.Put(ctx, []byte("pat-b"), opts)
	require.NoError(t, err)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent}, f.stages(t))

	later := time.Now().Add(inFlightWindow + time.Minute)
	f.d.now = func() time.Time { return later }
	st := f.stages(t)
	require.Len(t, st, 3, "the lost version shows once the window has passed")
	for id, s := range st {
		if id != a && id != b {
			assert.Equal(t, secrets.StageNone, s, "the lost version %s", id)
		}
	}
	again, err := f.store.Put(ctx, []byte("pat-b"), opts)
	require.NoError(t, err)
	assert.Equal(t, b, again)
	cur, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, b, cur.ID)
}

// A client configured to retry UpdateSecret resends a commit GCP carried
// out; the resend is refused for its stale etag. The adapter, re-reading,
// recognises its own commit (only it records its version) and does not
// commit again, which would have moved the stages twice and lost the
// previous version's alias.
func TestCommitResentByClient(t *testing.T) {
	f := defaultFixture(t)
	f.client.CallOptions.UpdateSecret = []gax.CallOption{gax.WithRetry(func() gax.Retryer {
		return gax.OnCodes([]codes.Code{codes.Unavailable}, gax.Backoff{Initial: time.Millisecond, Max: time.Millisecond})
	})}
	ctx := context.Background()
	a, err := f.store.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	b, err := f.store.Put(ctx, []byte("pat-b"), nil)
	require.NoError(t, err)
	f.srv.FailAfterApply("UpdateSecret", testName, gcpfake.Applied{})
	f.srv.ResetCalls()
	c, err := f.store.Put(ctx, []byte("pat-c"), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, f.srv.Calls("UpdateSecret"), "the commit and the client's resend, nothing more")
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageNone, b: secrets.StagePrevious, c: secrets.StageCurrent}, f.stages(t))
}
