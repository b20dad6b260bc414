package push

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/snowpat/snowpat/push/driver"
)

// The error codes. Every error a Destination returns (except for a
// context's error, see Error) matches at most one of them with errors.Is,
// whichever BI tool produced it.
var (
	// ErrNotFound: the server, site, workspace, content or connection does
	// not exist, or the BI API's credentials may not see it.
	ErrNotFound = errors.New("push: not found")
	// ErrPermissionDenied: the BI API's credentials are valid but may not
	// do this (Tableau 403xxx, Power BI 403): see the adapter's table of
	// the permissions each call needs.
	ErrPermissionDenied = errors.New("push: permission denied")
	// ErrUnauthenticated: the BI API refused its credentials (an expired
	// or revoked Tableau personal access token, a connected app that is
	// disabled, an Entra token it does not accept).
	ErrUnauthenticated = errors.New("push: unauthenticated")
	// ErrUnavailable: a transient failure that outlasted the retries;
	// the same call may succeed later.
	ErrUnavailable = errors.New("push: unavailable")
	// ErrInvalidArgument: a URL, a credential or an answer of the BI tool
	// breaks the documented rules (a gateway key that does not parse, a
	// name that matches two data sources). Retrying cannot help.
	ErrInvalidArgument = errors.New("push: invalid argument")
	// ErrUnsupported: the destination cannot do this (a Tableau live
	// connection has no refresh to run as a test). It also matches
	// errors.ErrUnsupported.
	ErrUnsupported = fmt.Errorf("push: %w", errors.ErrUnsupported)
	// ErrNoSnowflakeConnection: the content has no Snowflake connection
	// that takes a user name and password. Nothing was pushed.
	ErrNoSnowflakeConnection = errors.New("push: no Snowflake connection")
	// ErrWrongAccount: a Snowflake connection of the content points at
	// another account than the credential's (see MatchAccount). Nothing
	// was pushed.
	ErrWrongAccount = errors.New("push: connection to another account")
	// ErrRefreshFailed: Test started a refresh and the BI tool reports
	// that it failed; the tool's message says why.
	ErrRefreshFailed = errors.New("push: refresh failed")
)

// Error is the type of every error a Destination, Open and the URLMux
// return.
//
// errors.Is(err, ErrNotFound) and the like test its Kind; errors.As
// reaches the driver's native error through Err. When the operation's
// context was done, Kind is context.Canceled or context.DeadlineExceeded
// itself. Error texts name the destination by its Identity (or, for a URL
// that could not be opened, by the URL without user info, query or
// fragment) and never contain a secret.
type Error struct {
	// Op is the operation that failed: "Open", "Inspect", "Push", "Test"
	// or "Close".
	Op string
	// Destination names the destination, credentials removed.
	Destination string
	// Kind is one of the Err* sentinels, a context error, or nil when the
	// driver could not classify Err.
	Kind error
	// Err is the driver's error, or nil when package push refused the
	// call itself.
	Err error
	// msg explains a refusal by package push itself.
	msg string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("push: ")
	if e.Destination != "" {
		b.WriteString(e.Destination + ": ")
	}
	b.WriteString(e.Op)
	if e.Kind != nil {
		b.WriteString(": " + strings.TrimPrefix(e.Kind.Error(), "push: "))
	}
	if e.msg != "" {
		b.WriteString(": " + e.msg)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Err, the ones that are set.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// NewError returns an *Error of the given kind for adapters' openers: an
// Opener that returns one has it passed through as it is, with the
// destination's name filled in when empty.
func NewError(op string, kind error, format string, args ...any) *Error {
	return &Error{Op: op, Kind: kind, msg: fmt.Sprintf(format, args...)}
}

var codeKinds = map[driver.ErrorCode]error{
	driver.CodeNotFound:         ErrNotFound,
	driver.CodePermissionDenied: ErrPermissionDenied,
	driver.CodeUnauthenticated:  ErrUnauthenticated,
	driver.CodeUnavailable:      ErrUnavailable,
	driver.CodeInvalidArgument:  ErrInvalidArgument,
	driver.CodeUnsupported:      ErrUnsupported,
	driver.CodeRefreshFailed:    ErrRefreshFailed,
}

// wrap turns a driver error into an *Error. Our own refusals (the check's
// errors) pass through; a done context wins over the driver's
// classification, so that a cancelled push is never mistaken for a
// retryable one.
func (d *Destination) wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Err == nil {
		e.Op = op
		return e
	}
	base := &Error{Op: op, Destination: d.identity, Err: err}
	switch {
	case errors.Is(err, context.Canceled):
		base.Kind = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		base.Kind = context.DeadlineExceeded
	case ctx.Err() != nil:
		base.Kind = ctx.Err()
	default:
		base.Kind = codeKinds[d.d.ErrorCode(err)]
	}
	return base
}
