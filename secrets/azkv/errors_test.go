package azkv

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each kind of vault failure maps onto its portable error, with the
// *azcore.ResponseError still reachable.
func TestErrorMapping(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	id := f.put(t, "v", nil)
	for _, c := range []struct {
		e    *azfake.APIError
		want error
	}{
		{azfake.ErrThrottled, secrets.ErrUnavailable},
		{azfake.ErrUnavailable, secrets.ErrUnavailable},
		{&azfake.APIError{Status: http.StatusInternalServerError, Code: "InternalServerError"}, secrets.ErrUnavailable},
		{azfake.ErrForbidden, secrets.ErrPermissionDenied},
		{&azfake.APIError{Status: http.StatusUnauthorized, Code: "Unauthorized"}, secrets.ErrPermissionDenied},
		{&azfake.APIError{Status: http.StatusBadRequest, Code: "BadParameter"}, secrets.ErrInvalidArgument},
		{&azfake.APIError{Status: http.StatusForbidden, Code: "Forbidden", Inner: "SecretDisabled"}, secrets.ErrNotFound},
	} {
		f.srv.FailNext(azfake.OpGetSecret, c.e)
		_, err := f.s.ByID(ctx, id)
		assert.ErrorIs(t, err, c.want, "%d %s", c.e.Status, c.e.Code)
		var re *azcore.ResponseError
		if assert.True(t, f.s.ErrorAs(err, &re)) {
			assert.Equal(t, c.e.Status, re.StatusCode)
		}
	}
}

// A write whose response is lost after the vault committed it is found
// by the adapter before it would resend: Put returns the version the lost
// request made, and a retry with the idempotency key returns it again.
// (Before the adapter looked, Put reported ErrUnavailable here.)
func TestLostResponseRetry(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	f.put(t, "v1", nil)
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-7f3a"}
	f.srv.DropNext(azfake.OpSetSecret)
	first, err := f.s.Put(ctx, []byte("v2"), opts)
	require.NoError(t, err)
	assert.Empty(t, f.pauses(), "found at once, not resent")

	id, err := f.s.Put(ctx, []byte("v2"), opts)
	require.NoError(t, err)
	assert.Equal(t, first, id)
	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID, "the lost write committed and the retry found it")
	vs, err := f.s.List(ctx)
	require.NoError(t, err)
	assert.Len(t, vs, 2, "the retry wrote nothing")
}
