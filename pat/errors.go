package pat

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/snowflakedb/gosnowflake"
)

// kindError is a sentinel that may belong to a broader one: ErrTokenExpired
// is also an ErrInvalidToken, so a caller can test for either.
type kindError struct {
	msg    string
	parent error
}

func (k *kindError) Error() string { return k.msg }
func (k *kindError) Unwrap() error { return k.parent }

// The sentinels. Test with errors.Is; see "Errors" in the package
// documentation for what maps to each.
var (
	ErrInvalidArgument         = errors.New("pat: invalid argument")
	ErrNotFound                = errors.New("pat: not found")
	ErrAlreadyExists           = errors.New("pat: already exists")
	ErrPermissionDenied        = errors.New("pat: permission denied")
	ErrTokenLimit              = errors.New("pat: token limit reached")
	ErrNetworkPolicyRequired   = errors.New("pat: network policy required")
	ErrPATSession              = errors.New("pat: a session authenticated by a programmatic access token cannot manage tokens")
	ErrRoleRestrictionRequired = error(&kindError{"pat: role restriction required", ErrInvalidArgument})
	ErrRotatedToken            = error(&kindError{"pat: token was rotated out and can only expire or be removed", ErrInvalidArgument})
	ErrRoleNotGranted          = error(&kindError{"pat: restricted role is not granted to the user", ErrInvalidArgument})
	ErrInvalidToken            = errors.New("pat: invalid token")
	ErrTokenExpired            = error(&kindError{"pat: token expired", ErrInvalidToken})
	ErrTokenDisabled           = error(&kindError{"pat: token disabled", ErrInvalidToken})
	ErrBadCredentials          = errors.New("pat: incorrect user name or credentials")
	ErrUserDisabled            = errors.New("pat: user disabled")
	ErrAddressNotAllowed       = errors.New("pat: client address not allowed by network policy")
	ErrRoleBlocked             = error(&kindError{"pat: restricted role is blocked by the authentication policy", ErrInvalidToken})

	// ErrUnclassified is matched by a Snowflake error this package could
	// not classify: neither its code nor its message is one Snowflake is
	// known to use for a sentinel. Its Code, SQLState and Message are kept
	// in the *Error. Callers that act on errors (the policy engine) should
	// treat it as "the outcome is unknown": look at the state again and
	// decide from what they see, never from a guess about the error.
	ErrUnclassified = errors.New("pat: unclassified Snowflake error")
)

// Error is a failure reported by Snowflake, classified. errors.Is matches
// its Kind (and Kind's parents), and errors.As still finds the
// *gosnowflake.SnowflakeError it came from.
//
// This package never copies a statement into an error. Snowflake's own
// message may quote a fragment of one (a syntax error does), which is safe
// because no secret is ever in our SQL text, and the message is scrubbed of
// known secrets and token-shaped text before it is kept (see mapError).
type Error struct {
	Op       string // what pat was doing, e.g. `remove token "T" of user "U"`; may be empty
	Kind     error  // one of the sentinels, or nil when the failure is not one we classify
	Code     int    // Snowflake's error number, e.g. 2003
	SQLState string
	QueryID  string
	Message  string // Snowflake's message, scrubbed

	// cause is the driver's error, or a copy with the scrubbed message when
	// scrubbing changed it, so that errors.As cannot hand the unscrubbed
	// text back.
	cause *gosnowflake.SnowflakeError
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pat: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "pat: "))
		b.WriteString(": ")
	} else {
		b.WriteString("unclassified: ")
	}
	if e.cause != nil {
		b.WriteString(e.cause.Error())
	} else {
		b.WriteString(e.Message)
	}
	return b.String()
}

// Classified reports whether the error was recognised as one of the
// sentinels. An unclassified error also matches ErrUnclassified.
func (e *Error) Classified() bool { return e.Kind != nil }

// Unwrap exposes both the classification (or ErrUnclassified) and the
// driver's error.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	} else {
		errs = append(errs, ErrUnclassified)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// mapError classifies err when it is (or wraps) a *gosnowflake.SnowflakeError
// and returns it unchanged otherwise. secrets are texts the caller knows
// were in play (for example a token being decoded); any occurrence of them
// in Snowflake's message is replaced, in addition to the generic scrubbing
// of token-like text.
func mapError(err error, secrets ...Secret) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	var se *gosnowflake.SnowflakeError
	if !errors.As(err, &se) {
		return err
	}
	msg := se.Message
	if len(se.MessageArgs) > 0 {
		msg = fmt.Sprintf(se.Message, se.MessageArgs...)
	}
	clean := scrub(msg, secrets)
	cause := se
	if clean != msg {
		cause = &gosnowflake.SnowflakeError{
			Number:         se.Number,
			SQLState:       se.SQLState,
			QueryID:        se.QueryID,
			Message:        clean,
			IncludeQueryID: se.IncludeQueryID,
		}
	}
	return &Error{
		Kind:     classify(se.Number, clean),
		Code:     se.Number,
		SQLState: se.SQLState,
		QueryID:  se.QueryID,
		Message:  clean,
		cause:    cause,
	}
}

// tokenLikeRE finds long runs of base64/JWT characters. A run counts as a
// secret only if it mixes lower case, upper case and digits (see scrub), so
// upper-case object names and query ids survive while JWT-shaped token
// secrets do not.
var tokenLikeRE = regexp.MustCompile(`[A-Za-z0-9_\-+/=.]{32,}`)

// scrub removes secrets from text that came back from Snowflake. Our SQL
// never carries a secret (SYSTEM$DECODE_PAT takes it as a bind parameter),
// but a server echoing input in an error must not be able to leak one.
func scrub(msg string, secrets []Secret) string {
	for _, s := range secrets {
		if !s.IsZero() {
			msg = strings.ReplaceAll(msg, s.Reveal(), redactedText)
		}
	}
	return tokenLikeRE.ReplaceAllStringFunc(msg, func(run string) string {
		var lower, upper, digit bool
		for i := 0; i < len(run); i++ {
			switch c := run[i]; {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= '0' && c <= '9':
				digit = true
			}
		}
		if lower && upper && digit {
			return redactedText
		}
		return run
	})
}

// withOp names the operation on err. Classified errors get Op set; others
// (validation, context cancellation, network failures) are wrapped so that
// errors.Is and errors.As still see through them.
func withOp(op string, err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*Error); ok && pe.Op == "" {
		cp := *pe
		cp.Op = op
		return &cp
	}
	return &opError{op: op, err: err}
}

// opError prefixes an error with the operation, dropping the inner "pat: "
// so that messages read "pat: <op>: invalid argument: …".
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "pat: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "pat: ")
}

func (e *opError) Unwrap() error { return e.err }
