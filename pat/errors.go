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
	}
	if e.cause != nil {
		b.WriteString(e.cause.Error())
	} else {
		b.WriteString(e.Message)
	}
	return b.String()
}

// Unwrap exposes both the classification and the driver's error.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// rule classifies a Snowflake error. Phrases are matched, lower-cased,
// against the message after quoted names and bracketed values have been
// blanked, so a user called 'already exists' cannot steer the match.
type rule struct {
	kind    error
	codes   []int
	phrases [][]string // any element matches when all of its phrases occur
}

// specific rules are tried first by phrase, then all rules by code, then
// generic rules by phrase. Phrases outrank codes because Snowflake does not
// document codes for the PAT refusals (the emulator invents 3944xx) and may
// report them under a generic code; codes outrank generic phrases because a
// generic phrase such as "already exists" is weak evidence.
var specificRules = []rule{
	{ErrPATSession, []int{394404}, [][]string{{"authenticated with a programmatic access token", "cannot"}, {"cannot manage programmatic access tokens"}}},
	{ErrRoleRestrictionRequired, []int{394403}, [][]string{{"role_restriction is required"}}},
	{ErrRoleNotGranted, []int{394406}, [][]string{{"role_restriction is not granted"}}},
	{ErrRotatedToken, []int{394405}, [][]string{{"has been rotated", "can only expire or be removed"}}},
	{ErrTokenLimit, []int{394401}, [][]string{{"programmatic access tokens", "exceeds the limit"}}},
	{ErrNetworkPolicyRequired, []int{394402, 390432}, [][]string{{"network policy is required"}}},
	{ErrInvalidToken, []int{394400}, [][]string{{"programmatic access token is invalid"}}},
	{ErrBadCredentials, []int{390100, 390144}, [][]string{{"incorrect username or password"}, {"jwt token is invalid"}}},
	{ErrUserDisabled, []int{390101}, [][]string{{"user access disabled"}}},
	{ErrAddressNotAllowed, []int{390422}, [][]string{{"is not allowed to access snowflake"}}},
	{ErrPermissionDenied, []int{394407, 390186}, [][]string{{"session is restricted to role"}, {"rejected by the current authentication policy"}}},
}

var genericRules = []rule{
	{ErrNotFound, []int{2003}, [][]string{{"does not exist or not authorized"}}},
	{ErrAlreadyExists, []int{2002}, [][]string{{"already exists"}}},
	{ErrPermissionDenied, []int{3001}, [][]string{{"insufficient privileges"}}},
	{ErrInvalidArgument, []int{1008}, [][]string{{"invalid value [] for parameter"}}},
}

var (
	quotedRE  = regexp.MustCompile(`'[^']*'`)
	bracketRE = regexp.MustCompile(`\[[^\]]*\]`)
)

func classify(code int, message string) error {
	m := strings.ToLower(bracketRE.ReplaceAllString(quotedRE.ReplaceAllString(message, "''"), "[]"))
	byPhrase := func(rules []rule) error {
		for _, r := range rules {
			for _, all := range r.phrases {
				if containsAll(m, all) {
					return r.kind
				}
			}
		}
		return nil
	}
	if k := byPhrase(specificRules); k != nil {
		return k
	}
	for _, rules := range [][]rule{specificRules, genericRules} {
		for _, r := range rules {
			for _, c := range r.codes {
				if c == code {
					return r.kind
				}
			}
		}
	}
	return byPhrase(genericRules)
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
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
