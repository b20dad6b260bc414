package awssm

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Injected AWS errors reach the caller as the portable kinds, with the
// native error still reachable.
func TestFaultMapping(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)

	// One throttle: the SDK retries it and the caller never knows.
	f.srv.FailNext("GetSecretValue", awsfake.Throttling())
	_, err = f.store.Current(ctx)
	require.NoError(t, err)

	for _, tc := range []struct {
		name  string
		fault *awsfake.APIError
		times int
		want  error
	}{
		{"throttling beyond the retries", awsfake.Throttling(), 3, secrets.ErrUnavailable},
		{"server errors beyond the retries", awsfake.InternalError(), 3, secrets.ErrUnavailable},
		{"quota", awsfake.ErrorOf("LimitExceededException", "quota"), 3, secrets.ErrUnavailable},
		{"IAM", awsfake.AccessDenied(), 1, secrets.ErrPermissionDenied},
		{"KMS", awsfake.ErrorOf("DecryptionFailure", "kms"), 1, secrets.ErrPermissionDenied},
		{"expired credentials", awsfake.ErrorOf("ExpiredTokenException", "expired"), 1, secrets.ErrPermissionDenied},
		{"bad parameter", awsfake.ErrorOf("InvalidParameterException", "bad"), 1, secrets.ErrInvalidArgument},
		{"unclassified", awsfake.ErrorOf("SomethingNewException", "new"), 1, nil},
	} {
		for range tc.times {
			f.srv.FailNext("GetSecretValue", tc.fault)
		}
		_, err := f.store.Current(ctx)
		require.Error(t, err, tc.name)
		if tc.want != nil {
			assert.ErrorIs(t, err, tc.want, tc.name)
		}
		var api smithy.APIError
		require.True(t, f.store.ErrorAs(err, &api), tc.name)
		assert.Equal(t, tc.fault.Type, api.ErrorCode(), tc.name)
	}
}

// ErrorAs and errors.As reach the SDK's modelled error types.
func TestErrorAsNative(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = f.store.Put(ctx, []byte("v"), &secrets.PutOptions{IdempotencyKey: "k"})
	require.NoError(t, err)
	_, err = f.store.ByID(ctx, tokenFor(""))
	var rnf *types.ResourceNotFoundException
	assert.True(t, f.store.ErrorAs(err, &rnf))
	assert.True(t, errors.As(err, &rnf))

	_, err = f.store.Put(ctx, []byte("w"), &secrets.PutOptions{IdempotencyKey: "k"})
	assert.ErrorIs(t, err, secrets.ErrConflict)
	var ree *types.ResourceExistsException
	assert.True(t, f.store.ErrorAs(err, &ree), "the conflict wraps AWS's ResourceExistsException")
	assert.NotContains(t, err.Error(), "w\"", "no value in the text")
}

// A call cancelled while in flight is context.Canceled, not a retryable
// failure, and the write it carried did not happen.
func TestCancelInFlight(t *testing.T) {
	f := newFixture(t)
	id, err := f.store.Put(context.Background(), []byte("v"), nil)
	require.NoError(t, err)
	g := f.srv.Hold("PutSecretValue")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := f.store.Put(ctx, []byte("never"), nil)
		done <- err
	}()
	<-g.Arrived()
	cancel()
	err = <-done
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	cur, err := f.store.Current(context.Background())
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
}

// A reader whose credentials cover the secret but not its metadata
// companion reads values without metadata instead of failing; writers
// need both.
func TestReaderWithoutCompanionAccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, err := f.store.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: map[string]string{"a": "1"}})
	require.NoError(t, err)
	f.srv.Deny(f.name + ".snowpat-metadata")
	cur, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	assert.Nil(t, cur.Metadata)
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	assert.Len(t, vs, 1)
	_, err = f.store.Put(ctx, []byte("w"), nil)
	assert.ErrorIs(t, err, secrets.ErrPermissionDenied)

	f.srv.Deny(f.name)
	_, err = f.store.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrPermissionDenied)
}
