package gcpsm

import (
	"context"
	"errors"
	"net"

	"github.com/snowpat/snowpat/secrets/driver"
	errs "github.com/snowpat/snowpat/secrets/internal/coded"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// coded makes an error whose code the adapter decided from context: a
// FAILED_PRECONDITION from AccessSecretVersion means the version is
// disabled (not found, to readers), from UpdateSecret a stale etag.
func coded(code driver.ErrorCode, err error, format string, args ...any) error {
	return errs.New("gcpsm", code, err, format, args...)
}

// errorCode classifies an error by its gRPC status code.
func errorCode(err error) driver.ErrorCode {
	if code, ok := errs.Of(err); ok {
		return code
	}
	st, ok := status.FromError(err)
	if !ok {
		if _, isNet := errors.AsType[net.Error](err); isNet {
			return driver.CodeUnavailable
		}
		return driver.CodeUnknown
	}
	switch st.Code() {
	case codes.NotFound:
		return driver.CodeNotFound
	case codes.AlreadyExists:
		return driver.CodeAlreadyExists
	case codes.Aborted, codes.FailedPrecondition:
		return driver.CodeConflict
	case codes.PermissionDenied, codes.Unauthenticated:
		return driver.CodePermissionDenied
	case codes.Unavailable, codes.ResourceExhausted, codes.DeadlineExceeded, codes.Canceled:
		// The context was not done (the portable layer checks that first),
		// so these are the server's or the transport's: transient.
		return driver.CodeUnavailable
	case codes.InvalidArgument, codes.OutOfRange:
		return driver.CodeInvalidArgument
	case codes.Unimplemented:
		return driver.CodeUnsupported
	}
	return driver.CodeUnknown
}

func codeOf(err error) codes.Code { return status.Code(err) }

// fail makes an error match the context's error when the context is
// done: gRPC reports a cancelled call as a status, which errors.Is does
// not relate to context.Canceled.
func fail(ctx context.Context, err error) error { return errs.Fail(ctx, err) }
