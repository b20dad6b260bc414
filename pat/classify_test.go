package pat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClassifyRecordedMessages holds Snowflake's messages as the sources
// recorded them, under the numbers they came with or, where no number was
// recorded, under numbers that mean nothing to the classifier (0 and an
// arbitrary 000002), so that only the message can classify them.
func TestClassifyRecordedMessages(t *testing.T) {
	cases := []struct {
		source string
		code   int
		msg    string
		want   error
	}{
		{"Terraform provider live test (REMOVE of a missing token); number unrecorded", 0,
			"Programmatic access token TOKEN_XYZ not found", ErrNotFound},
		{"same text under an unrelated number", 2, "Programmatic access token TOKEN_XYZ not found", ErrNotFound},
		{"Terraform provider sdk/errors.go regexp, quoted name", 2, "Programmatic access token 'T' not found.", ErrNotFound},
		{"gosnowflake fixture auth/pat/invalid_token.json", 394400, "Programmatic access token is invalid.", ErrInvalidToken},
		{"gosnowflake fixture auth/password/invalid_password.json", 390100, "Incorrect username or password was specified.", ErrBadCredentials},
		{"gosnowflake auth_with_keypair_test.go", 390144, "JWT token is invalid.", ErrBadCredentials},
		{"Terraform live tests: object missing", 2003, "SQL compilation error:\nUser 'SVC' does not exist or not authorized.", ErrNotFound},
		{"Terraform live test logs: 001008", 1008, "SQL compilation error:\ninvalid value [HTMJHKIT] for parameter 'STORAGE_INTEGRATION (must be of type POSTGRES_EXTERNAL_STORAGE)'", ErrInvalidArgument},
		{"Snowflake login message, number unrecorded", 0, "User access disabled. Contact your local system administrator.", ErrUserDisabled},
		{"Snowflake login message, number unrecorded", 0, "IP 203.0.113.9 is not allowed to access Snowflake.  Contact your local security administrator.", ErrAddressNotAllowed},
		{"confirmed number, any text", 390432, "anything", ErrNetworkPolicyRequired},
	}
	for _, c := range cases {
		t.Run(c.source, func(t *testing.T) {
			err := mapError(sfErr(c.code, "", c.msg))
			require.ErrorIs(t, err, c.want)
			assert.NotErrorIs(t, err, ErrUnclassified)
		})
	}
}

// TestClassifyUnpublished: messages nobody has recorded from Snowflake (the
// emulator's assumed wordings among them) are never guessed at.
func TestClassifyUnpublished(t *testing.T) {
	for _, msg := range []string{
		"Number of programmatic access tokens for user 'U' exceeds the limit of 15.",
		"ROLE_RESTRICTION is required for programmatic access tokens of SERVICE users.",
		"A session authenticated with a programmatic access token cannot manage programmatic access tokens.",
		"Programmatic access token 'T' has been rotated and can only expire or be removed.",
		"Role 'R' specified in ROLE_RESTRICTION is not granted to user 'U'.",
		"Authentication attempt rejected by the current authentication policy.",
	} {
		err := mapError(sfErr(2, "0A000", msg))
		require.ErrorIs(t, err, ErrUnclassified, msg)
		var pe *Error
		require.ErrorAs(t, err, &pe)
		assert.False(t, pe.Classified())
		assert.Equal(t, 2, pe.Code)
		assert.Equal(t, "0A000", pe.SQLState)
		assert.Equal(t, msg, pe.Message)
	}
	// Classified errors do not match ErrUnclassified.
	err := mapError(sfErr(2003, "02000", "x"))
	var pe *Error
	require.ErrorAs(t, err, &pe)
	assert.True(t, pe.Classified())
	assert.NotErrorIs(t, err, ErrUnclassified)
}
