// Package coded is the error plumbing the store adapters share: an error
// whose portable code the adapter decided from context, the join of a
// native error with the context's when the context is done, and the
// mapping of the HTTP statuses every REST backend answers alike.
package coded

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Error is an error whose code the adapter decided from context, not from
// the native error's type alone (the same native answer can mean "exists"
// to one call and "conflict" to another). It wraps the native error, if
// any, so that errors.As and Store.ErrorAs still reach it.
type Error struct {
	Code driver.ErrorCode
	// Prefix names the adapter in the text ("awssm").
	Prefix string
	Msg    string
	Err    error
	// Quiet leaves the native error's text out of Error(), for adapters
	// whose native errors may quote more than a message should.
	Quiet bool
}

func (e *Error) Error() string {
	if e.Err == nil || e.Quiet {
		return e.Prefix + ": " + e.Msg
	}
	return e.Prefix + ": " + e.Msg + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an Error with a formatted message.
func New(prefix string, code driver.ErrorCode, err error, format string, args ...any) error {
	return &Error{Code: code, Prefix: prefix, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Of returns the code of the Error inside err, if there is one.
func Of(err error) (driver.ErrorCode, bool) {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code, true
	}
	return driver.CodeUnknown, false
}

// Fail makes an error match the context's error when the context is done,
// so that a cancelled call is never mistaken for a failed one, whatever
// the SDK reported (gRPC, for one, reports a cancelled call as a status
// that errors.Is does not relate to context.Canceled).
func Fail(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && err != nil && !errors.Is(err, cerr) {
		return &ctxError{ctx: cerr, err: err}
	}
	return err
}

// ctxError is a native error that happened while the context was done.
type ctxError struct{ ctx, err error }

func (e *ctxError) Error() string   { return e.ctx.Error() + ": " + e.err.Error() }
func (e *ctxError) Unwrap() []error { return []error{e.ctx, e.err} }

// HTTPStatus maps the statuses REST backends answer alike; adapters decide
// their service's own (a 409, a 403 that means disabled) before calling it.
func HTTPStatus(status int) driver.ErrorCode {
	switch status {
	case http.StatusNotFound:
		return driver.CodeNotFound
	case http.StatusForbidden, http.StatusUnauthorized:
		return driver.CodePermissionDenied
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		return driver.CodeInvalidArgument
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return driver.CodeUnavailable
	}
	return driver.CodeUnknown
}
