package gcpsm

import (
	"context"
	"testing"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"github.com/googleapis/gax-go/v2/apierror"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Injected gRPC codes reach the caller as the portable kinds, with the
// status still reachable.
func TestFaultMapping(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)

	// The client retries UNAVAILABLE on access (after a millisecond, with
	// the fake's client) and the caller never knows.
	f.srv.FailNext("AccessSecretVersion", codes.Unavailable, "blip")
	_, err = f.store.Current(ctx)
	require.NoError(t, err)

	for _, tc := range []struct {
		code codes.Code
		want error
	}{
		{codes.Unavailable, secrets.ErrUnavailable},
		{codes.ResourceExhausted, secrets.ErrUnavailable},
		{codes.DeadlineExceeded, secrets.ErrUnavailable},
		{codes.PermissionDenied, secrets.ErrPermissionDenied},
		{codes.Unauthenticated, secrets.ErrPermissionDenied},
		{codes.InvalidArgument, secrets.ErrInvalidArgument},
		{codes.NotFound, secrets.ErrNotFound},
		{codes.Aborted, secrets.ErrConflict},
		{codes.Unimplemented, secrets.ErrUnsupported},
		{codes.Internal, nil},
	} {
		f.srv.FailNext("GetSecret", tc.code, "injected")
		if tc.want == secrets.ErrPermissionDenied {
			// A refused GetSecret falls back to access alone; refuse that too.
			f.srv.FailNext("AccessSecretVersion", tc.code, "injected")
		}
		_, err := f.store.Current(ctx)
		require.Error(t, err, tc.code.String())
		if tc.want != nil {
			assert.ErrorIs(t, err, tc.want, tc.code.String())
		}
		var ae *apierror.APIError
		require.True(t, f.store.ErrorAs(err, &ae), tc.code.String())
		assert.Equal(t, tc.code, ae.GRPCStatus().Code())
		var se interface{ GRPCStatus() *status.Status }
		require.True(t, f.store.ErrorAs(err, &se))
		assert.Equal(t, tc.code, se.GRPCStatus().Code())
	}

	var c *secretmanager.Client
	require.True(t, f.store.As(&c))
	assert.Same(t, f.client, c)
}

// A stale precondition is a conflict, decided before any version is
// added, so that nothing is left behind.
func TestPreconditionConflict(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.store.Put(ctx, []byte("a"), nil)
	require.NoError(t, err)
	_, err = f.store.Put(ctx, []byte("b"), nil)
	require.NoError(t, err)
	f.srv.ResetCalls()
	_, err = f.store.PutIf(ctx, []byte("c"), secrets.IfCurrent(a), nil)
	assert.ErrorIs(t, err, secrets.ErrConflict)
	assert.Zero(t, f.srv.Calls("AddSecretVersion"))
	assert.ErrorIs(t, f.store.PromoteIf(ctx, a, secrets.IfCurrent(a)), secrets.ErrConflict)
}

// A consumer allowed to access versions but not to read the secret
// (roles/secretmanager.secretAccessor) still reads by stage and by id,
// without metadata.
func TestAccessorOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, err := f.store.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: map[string]string{"a": "1"}})
	require.NoError(t, err)
	f.srv.FailNext("GetSecret", codes.PermissionDenied, "secrets.get denied")
	cur, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	assert.Equal(t, secrets.StageCurrent, cur.Stage)
	assert.Equal(t, "v", string(cur.Value()))
	assert.Nil(t, cur.Metadata)

	f.srv.FailNext("GetSecret", codes.PermissionDenied, "secrets.get denied")
	_, err = f.store.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
}
