package gcpsm

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// codedError is an error whose code the adapter decided from context: a
// FAILED_PRECONDITION from AccessSecretVersion means the version is
// disabled (not found, to readers), from UpdateSecret a stale etag. It
// wraps the native error, if any, so that errors.As and Store.ErrorAs
// still reach it.
type codedError struct {
	code driver.ErrorCode
	msg  string
	err  error
}

func (e *codedError) Error() string {
	if e.err == nil {
		return "gcpsm: " + e.msg
	}
	return "gcpsm: " + e.msg + ": " + e.err.Error()
}

func (e *codedError) Unwrap() error { return e.err }

func coded(code driver.ErrorCode, err error, format string, args ...any) error {
	return &codedError{code: code, msg: fmt.Sprintf(format, args...), err: err}
}

// errorCode classifies an error by its gRPC status code.
func errorCode(err error) driver.ErrorCode {
	if ce, ok := errors.AsType[*codedError](err); ok {
		return ce.code
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
func fail(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return &ctxError{ctx: cerr, err: err}
	}
	return err
}

type ctxError struct{ ctx, err error }

func (e *ctxError) Error() string   { return e.ctx.Error() + ": " + e.err.Error() }
func (e *ctxError) Unwrap() []error { return []error{e.ctx, e.err} }
