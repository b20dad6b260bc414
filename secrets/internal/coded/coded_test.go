package coded

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/snowpat/snowpat/secrets/driver"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestError(t *testing.T) {
	native := errors.New("native answer")
	err := New("awssm", driver.CodeConflict, native, "token %s reused", "k")
	require.Equal(t, "awssm: token k reused: native answer", err.Error())
	require.ErrorIs(t, err, native)
	code, ok := Of(err)
	require.True(t, ok)
	require.Equal(t, driver.CodeConflict, code)
	quiet := &Error{Code: driver.CodeNotFound, Prefix: "azkv", Msg: "gone", Err: native, Quiet: true}
	require.Equal(t, "azkv: gone", quiet.Error())
	require.ErrorIs(t, quiet, native)
	_, ok = Of(native)
	require.False(t, ok)
}

func TestFail(t *testing.T) {
	native := errors.New("status: canceled")
	require.Same(t, native, Fail(context.Background(), native))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Fail(ctx, native)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, native)
	require.NoError(t, Fail(ctx, nil))
	require.Same(t, context.Canceled, Fail(ctx, context.Canceled))
}

func TestHTTPStatus(t *testing.T) {
	for status, want := range map[int]driver.ErrorCode{
		404: driver.CodeNotFound, 403: driver.CodePermissionDenied, 401: driver.CodePermissionDenied,
		400: driver.CodeInvalidArgument, 413: driver.CodeInvalidArgument, 429: driver.CodeUnavailable,
		408: driver.CodeUnavailable, 500: driver.CodeUnavailable, 503: driver.CodeUnavailable,
		http.StatusTeapot: driver.CodeUnknown,
	} {
		require.Equal(t, want, HTTPStatus(status), "status %d", status)
	}
}
