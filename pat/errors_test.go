package pat

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sfErr(code int, state, msg string) *gosnowflake.SnowflakeError {
	return &gosnowflake.SnowflakeError{Number: code, SQLState: state, Message: msg, QueryID: "01b2c3d4-0000-1234-0000-000000000001"}
}

func TestMapErrorTable(t *testing.T) {
	cases := []struct {
		name string
		err  *gosnowflake.SnowflakeError
		want error
	}{
		{"user missing", sfErr(2003, "02000", "SQL compilation error:\nUser 'SVC' does not exist or not authorized."), ErrNotFound},
		{"token missing", sfErr(2003, "02000", "SQL compilation error:\nProgrammatic access token 'TOK' does not exist or not authorized."), ErrNotFound},
		{"role missing", sfErr(2003, "02000", "SQL compilation error:\nRole 'R' does not exist or not authorized."), ErrNotFound},
		{"network policy missing", sfErr(2003, "02000", "SQL compilation error:\nNetwork policy 'NP' does not exist or not authorized."), ErrNotFound},
		{"exists", sfErr(2002, "42710", "SQL compilation error:\nObject 'TOK' already exists."), ErrAlreadyExists},
		{"privileges", sfErr(3001, "42501", "SQL access control error:\nInsufficient privileges to operate on user 'SVC'"), ErrPermissionDenied},
		{"login network policy", sfErr(390432, "08004", "Network policy is required."), ErrNetworkPolicyRequired},
		{"pat not found, unknown code", sfErr(0, "", "Programmatic access token TOK not found"), ErrNotFound},
		{"invalid value", sfErr(1008, "22023", "SQL compilation error:\ninvalid value [0] for parameter 'DAYS_TO_EXPIRY'"), ErrInvalidArgument},
		{"invalid pat", sfErr(394400, "08004", "Programmatic access token is invalid."), ErrInvalidToken},
		{"bad password", sfErr(390100, "08004", "Incorrect username or password was specified."), ErrBadCredentials},
		{"bad jwt", sfErr(390144, "08004", "JWT token is invalid."), ErrBadCredentials},
		{"user disabled", sfErr(390101, "08004", "User access disabled. Contact your local system administrator."), ErrUserDisabled},
		{"ip", sfErr(390422, "08004", "IP 10.1.2.3 is not allowed to access Snowflake.  Contact your local security administrator."), ErrAddressNotAllowed},
		// Refusals whose text and number Snowflake does not publish are
		// not guessed at: they stay unclassified.
		{"limit", sfErr(394401, "54000", "Number of programmatic access tokens for user 'SVC' exceeds the limit of 15."), ErrUnclassified},
		{"role restriction required", sfErr(394403, "22023", "ROLE_RESTRICTION is required for programmatic access tokens of service users."), ErrUnclassified},
		{"pat session", sfErr(394404, "42501", "A session authenticated with a programmatic access token cannot manage programmatic access tokens."), ErrUnclassified},
		{"auth policy", sfErr(390186, "08004", "Authentication attempt rejected by the current authentication policy."), ErrUnclassified},
		// A generic code still classifies by its confirmed meaning.
		{"unknown phrase under a confirmed code", sfErr(1008, "22023", "ROLE_RESTRICTION is required for programmatic access tokens of service users."), ErrInvalidArgument},
		// Codes classify when the wording differs.
		{"code with other wording", sfErr(2003, "02000", "SQL compilation error: object gone"), ErrNotFound},
		{"code 394400 other wording", sfErr(394400, "08004", "PAT rejected"), ErrInvalidToken},
		// Names inside quotes never steer the match.
		{"name that looks like a phrase", sfErr(2003, "02000", "SQL compilation error:\nUser 'already exists' does not exist or not authorized."), ErrNotFound},
		{"value that looks like a phrase", sfErr(1008, "22023", "SQL compilation error:\ninvalid value [network policy is required] for parameter 'COMMENT'"), ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := mapError(c.err)
			require.ErrorIs(t, err, c.want)
			var se *gosnowflake.SnowflakeError
			require.ErrorAs(t, err, &se)
			assert.Same(t, c.err, se, "errors.As must give the driver's own error when nothing was scrubbed")
			var pe *Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, c.err.Number, pe.Code)
			assert.Equal(t, c.err.SQLState, pe.SQLState)
			assert.Equal(t, c.err.QueryID, pe.QueryID)
			assert.Contains(t, err.Error(), c.err.Message)
			// Wrapped by database/sql or our own callers, it still maps.
			assert.ErrorIs(t, mapError(fmt.Errorf("outer: %w", c.err)), c.want)
		})
	}
}

func TestMapErrorHierarchy(t *testing.T) {
	for child, parent := range map[error]error{
		ErrRoleRestrictionRequired: ErrInvalidArgument,
		ErrRotatedToken:            ErrInvalidArgument,
		ErrRoleNotGranted:          ErrInvalidArgument,
		ErrTokenExpired:            ErrInvalidToken,
		ErrTokenDisabled:           ErrInvalidToken,
	} {
		assert.ErrorIs(t, child, parent)
		assert.NotErrorIs(t, parent, child)
	}
	err := mapError(sfErr(1008, "22023", "Programmatic access token 'T' has been rotated and can only expire or be removed."))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrUnclassified)
	// 390100 is not an invalid token: the same code means a wrong password.
	assert.NotErrorIs(t, mapError(sfErr(390100, "08004", "Incorrect username or password was specified.")), ErrInvalidToken)
}

func TestMapErrorUnknownAndForeign(t *testing.T) {
	assert.NoError(t, mapError(nil))

	unknown := sfErr(100038, "22018", "Numeric value 'abc' is not recognized")
	err := mapError(unknown)
	var pe *Error
	require.ErrorAs(t, err, &pe)
	assert.Nil(t, pe.Kind)
	for _, s := range []error{ErrNotFound, ErrInvalidArgument, ErrPermissionDenied, ErrInvalidToken} {
		assert.NotErrorIs(t, err, s)
	}
	var se *gosnowflake.SnowflakeError
	require.ErrorAs(t, err, &se)
	assert.Same(t, unknown, se)

	// Errors that are not Snowflake's pass through untouched.
	assert.Same(t, context.Canceled, mapError(context.Canceled))
	plain := errors.New("connection reset")
	assert.Same(t, plain, mapError(plain))

	// Mapping twice changes nothing.
	once := mapError(sfErr(2003, "02000", "User 'U' does not exist or not authorized."))
	assert.Same(t, once, mapError(once))
}

func TestErrorText(t *testing.T) {
	err := withOp(`remove token "T" of user "U"`, mapError(sfErr(2003, "02000", "SQL compilation error:\nProgrammatic access token 'T' does not exist or not authorized.")))
	assert.Equal(t, "pat: remove token \"T\" of user \"U\": not found: 002003 (02000): SQL compilation error:\nProgrammatic access token 'T' does not exist or not authorized.", err.Error())
	assert.ErrorIs(t, err, ErrNotFound)

	// withOp on other errors wraps them.
	err = withOp("list tokens", context.DeadlineExceeded)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, "pat: list tokens: context deadline exceeded", err.Error())
	assert.NoError(t, withOp("x", nil))

	// A hand-made Error does not panic.
	assert.Equal(t, "pat: unclassified: m", (&Error{Message: "m"}).Error())
}

func TestMapErrorScrubs(t *testing.T) {
	secret := NewSecret(secretText)
	cases := map[string]*gosnowflake.SnowflakeError{
		"echoed statement": sfErr(1003, "42000", "SQL compilation error:\nsyntax error line 1 at position 27 unexpected '"+secretText+"'."),
		"in args":          {Number: 1003, SQLState: "42000", Message: "bad token %v here", MessageArgs: []any{secretText}},
	}
	for name, se := range cases {
		t.Run(name, func(t *testing.T) {
			for _, err := range []error{mapError(se), mapError(se, secret)} {
				assertNoLeak(t, err.Error())
				assert.Contains(t, err.Error(), redactedText)
				var got *gosnowflake.SnowflakeError
				require.ErrorAs(t, err, &got)
				assert.NotSame(t, se, got, "the unscrubbed driver error must not be reachable")
				assertNoLeak(t, got.Error())
				assert.Equal(t, se.Number, got.Number)
				assert.Equal(t, se.QueryID, got.QueryID)
			}
		})
	}

	// A known secret that is not token-shaped is scrubbed too.
	short := NewSecret("hunter2hunter2")
	err := mapError(sfErr(1003, "42000", "unexpected 'hunter2hunter2'"), short)
	assert.NotContains(t, err.Error(), "hunter2hunter2")

	// Upper-case names and query ids survive scrubbing.
	long := "POWERBI_SERVICE_ACCOUNT_FOR_THE_FINANCE_TEAM_2024"
	err = mapError(sfErr(2003, "02000", "User '"+long+"' does not exist or not authorized."))
	assert.Contains(t, err.Error(), long)
	qid := &gosnowflake.SnowflakeError{Number: 2003, SQLState: "02000", QueryID: "01b2c3d4-0000-1234-0000-000000000001", IncludeQueryID: true, Message: "User 'U' does not exist or not authorized."}
	assert.Contains(t, mapError(qid).Error(), qid.QueryID)
}
