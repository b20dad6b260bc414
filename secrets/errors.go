package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/snowpat/snowpat/secrets/driver"
)

// The error codes. Every error a Store returns (except for a context's
// error, see Error) matches at most one of them with errors.Is, whichever
// backend produced it.
var (
	// ErrNotFound: the secret, the version or the stage does not exist,
	// or the version has been retired and disabled.
	ErrNotFound = errors.New("secrets: not found")
	// ErrAlreadyExists: the backend keeps a deleted secret's name reserved
	// and will not recreate it yet.
	ErrAlreadyExists = errors.New("secrets: already exists")
	// ErrConflict: a compare-and-swap precondition failed, an idempotency
	// key was reused with a different value or metadata, or the operation
	// does not apply to the version's state (retiring the current version,
	// promoting a retired one). Nothing was written. Re-read and decide.
	ErrConflict = errors.New("secrets: conflict")
	// ErrPermissionDenied: the backend's credentials may not do this.
	ErrPermissionDenied = errors.New("secrets: permission denied")
	// ErrUnavailable: a transient failure; the same call may succeed if
	// retried (with the same idempotency key, for writes).
	ErrUnavailable = errors.New("secrets: unavailable")
	// ErrInvalidArgument: an argument breaks the documented rules, the
	// Store is closed, or a URL cannot be opened. Retrying cannot help.
	ErrInvalidArgument = errors.New("secrets: invalid argument")
	// ErrUnsupported: the backend lacks an optional capability, such as
	// compare-and-swap. It also matches errors.ErrUnsupported.
	ErrUnsupported = fmt.Errorf("secrets: %w", errors.ErrUnsupported)
)

// Error is the type of every error a Store returns.
//
// errors.Is(err, ErrNotFound) and the like test its Kind; errors.As reaches
// the driver's native error through Err (Store.ErrorAs does the same
// through the driver's own rules). When the operation's context was done,
// Kind is context.Canceled or context.DeadlineExceeded itself, so that
// errors.Is(err, context.Canceled) holds and the error is not mistaken for
// ErrUnavailable.
//
// Error texts never contain secret values: the Store's own messages give
// sizes, never contents, and drivers are held to the same rule by the
// conformance suite.
type Error struct {
	// Op is the Store method that failed, such as "Put".
	Op string
	// Kind is one of the Err* sentinels, a context error, or nil when the
	// driver could not classify Err.
	Kind error
	// Err is the driver's error, or nil when the Store refused the call
	// itself.
	Err error
	// msg explains a refusal by the Store itself.
	msg string
}

func (e *Error) Error() string {
	s := "secrets: " + e.Op
	if e.Kind != nil {
		s += ": " + kindText(e.Kind)
	}
	if e.msg != "" {
		s += ": " + e.msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// kindText is the sentinel's text without the package prefix, since
// Error adds its own.
func kindText(k error) string {
	t, _ := strings.CutPrefix(k.Error(), "secrets: ")
	return t
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

// invalid returns an ErrInvalidArgument error for op.
func invalid(op, format string, args ...any) error {
	return &Error{Op: op, Kind: ErrInvalidArgument, msg: fmt.Sprintf(format, args...)}
}

var codeKinds = map[driver.ErrorCode]error{
	driver.CodeNotFound:         ErrNotFound,
	driver.CodeAlreadyExists:    ErrAlreadyExists,
	driver.CodeConflict:         ErrConflict,
	driver.CodePermissionDenied: ErrPermissionDenied,
	driver.CodeUnavailable:      ErrUnavailable,
	driver.CodeInvalidArgument:  ErrInvalidArgument,
	driver.CodeUnsupported:      ErrUnsupported,
}

// wrap turns a driver error into an *Error. A done context wins over the
// driver's classification: a driver that reports a cancelled request as a
// network failure must not make the caller retry it.
func (s *Store) wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &Error{Op: op, Kind: context.Canceled, Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Op: op, Kind: context.DeadlineExceeded, Err: err}
	case ctx.Err() != nil:
		return &Error{Op: op, Kind: ctx.Err(), Err: err}
	}
	return &Error{Op: op, Kind: codeKinds[s.d.ErrorCode(err)], Err: err}
}
