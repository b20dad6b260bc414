package pat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestVerifySucceeds(t *testing.T) {
	e := newEmu(t)
	secret := serviceToken(t, e)
	base := *e.srv.AdminConfig()
	ctx := context.Background()

	// base is the administrator's key-pair configuration: Verify replaces
	// its credentials, so the login below is the token's, not the key's.
	e.srv.ResetCounts()
	require.NoError(t, Verify(ctx, base, "SVC", secret))
	require.NoError(t, Verifier(base)(ctx, "SVC", secret))
	c := e.srv.Counts()
	assert.Equal(t, 2, int(c.Login), "each verification logs in once")
	assert.Equal(t, 2, int(c.CloseSession), "and logs out")
	assert.Equal(t, 4, int(c.RoundTrips()), "and does nothing else: the login is the test: %+v", c)

	// The login really is the token's: with the key gone from base the
	// token still logs in, and a bad token does not.
	base.PrivateKey = nil
	require.NoError(t, Verify(ctx, base, "SVC", secret))
	require.ErrorIs(t, Verify(ctx, *e.srv.AdminConfig(), "SVC", NewSecret(secretText)), ErrInvalidToken)
}

// TestVerifyClassifiesFailures makes every situation in which a login with
// a token fails and checks the sentinel Verify's error matches. Snowflake
// answers every unusable token with 394400, so the token situations are all
// ErrInvalidToken; none is ErrTokenExpired or ErrTokenDisabled, which only
// Diagnose can tell.
func TestVerifyClassifiesFailures(t *testing.T) {
	ctx := context.Background()
	type situation struct {
		name  string
		setup func(t *testing.T, e *emu) (user string, secret Secret)
		want  error
		code  int // the Snowflake error number, or 0 for a refusal before login
	}
	token := func(t *testing.T, e *emu) (string, Secret) { return "SVC", serviceToken(t, e) }
	for _, c := range []situation{
		{"not a token", func(t *testing.T, e *emu) (string, Secret) {
			serviceToken(t, e)
			return "SVC", NewSecret("this-is-not-a-token")
		}, ErrInvalidToken, 394400},
		{"expired", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			e.srv.FakeClock().Step(31 * 24 * time.Hour)
			return user, s
		}, ErrInvalidToken, 394400},
		{"disabled", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			require.NoError(t, e.client.Disable(ctx, user, "T"))
			return user, s
		}, ErrInvalidToken, 394400},
		{"removed", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			require.NoError(t, e.client.Remove(ctx, user, "T"))
			return user, s
		}, ErrInvalidToken, 394400},
		{"rotated out", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			_, err := e.client.Rotate(ctx, user, "T", RotateOptions{ExpireImmediately: true})
			require.NoError(t, err)
			return user, s
		}, ErrInvalidToken, 394400},
		{"another user's", func(t *testing.T, e *emu) (string, Secret) {
			_, s := token(t, e)
			e.personUser("ALICE")
			return "ALICE", s
		}, ErrInvalidToken, 394400},
		{"trailing line break", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			return user, NewSecret(s.Reveal() + "\n")
		}, ErrInvalidToken, 394400},
		{"no such user", func(t *testing.T, e *emu) (string, Secret) {
			_, s := token(t, e)
			return "NOBODY", s
		}, ErrInvalidToken, 394400},
		// Snowflake documents 390101 for a disabled user; a PAT login of one
		// is refused as an invalid token (its tokens were disabled with it),
		// so Verify cannot tell this apart either. Diagnose can.
		{"user disabled", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			e.exec(`ALTER USER "SVC" SET DISABLED = TRUE`)
			return user, s
		}, ErrInvalidToken, 394400},
		{"role revoked", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			e.exec(`REVOKE ROLE "READER" FROM USER "SVC"`)
			return user, s
		}, ErrInvalidToken, 394400},
		{"no network policy", func(t *testing.T, e *emu) (string, Secret) {
			e.exec(`CREATE USER "PERS" PASSWORD = 'pw'`)
			return "PERS", addToken(t, e, "PERS", "T", AddOptions{})
		}, ErrNetworkPolicyRequired, 390432},
		{"address not allowed", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			e.exec("CREATE NETWORK POLICY OFFICE ALLOWED_IP_LIST = ('10.0.0.0/8')", `ALTER USER "SVC" SET NETWORK_POLICY = OFFICE`)
			return user, s
		}, ErrAddressNotAllowed, 390422},
		{"authentication policy without tokens", func(t *testing.T, e *emu) (string, Secret) {
			user, s := token(t, e)
			e.exec("CREATE AUTHENTICATION POLICY KEYS AUTHENTICATION_METHODS = ('KEYPAIR')", `ALTER USER "SVC" SET AUTHENTICATION POLICY KEYS`)
			return user, s
		}, ErrUnclassified, 390186},
		{"empty secret", func(t *testing.T, e *emu) (string, Secret) {
			return "SVC", Secret{}
		}, ErrInvalidArgument, 0},
		{"empty user", func(t *testing.T, e *emu) (string, Secret) {
			_, s := token(t, e)
			return "", s
		}, ErrInvalidArgument, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEmu(t)
			user, secret := c.setup(t, e)
			logins := e.srv.Counts().Login

			err := Verify(ctx, *e.srv.AdminConfig(), user, secret)
			require.ErrorIs(t, err, c.want)
			assert.NotErrorIs(t, err, ErrTokenExpired, "a login cannot tell an expired token")
			assert.NotErrorIs(t, err, ErrTokenDisabled, "a login cannot tell a disabled token")
			assert.Contains(t, err.Error(), "pat: verify: ")
			assertTextsHideSecret(t, secret, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))

			var se *gosnowflake.SnowflakeError
			if c.code == 0 {
				assert.False(t, errors.As(err, &se), "refused before any login")
				assert.Equal(t, logins, e.srv.Counts().Login)
				return
			}
			require.ErrorAs(t, err, &se, "the driver's error is still reachable")
			assert.Equal(t, c.code, se.Number)
			assertTextsHideSecret(t, secret, se.Error())
			var pe *Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "verify", pe.Op)
		})
	}
}

func TestVerifyContext(t *testing.T) {
	e := newEmu(t)
	secret := serviceToken(t, e)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Verify(ctx, *e.srv.AdminConfig(), "SVC", secret)
	require.ErrorIs(t, err, context.Canceled, "a cancelled verification is not a verdict on the token")
	assert.NotErrorIs(t, err, ErrInvalidToken)
}

func TestVerifyWrongAccount(t *testing.T) {
	// Snowflake answers a login to the wrong account like a bad password:
	// 390100, which is ErrBadCredentials rather than ErrInvalidToken.
	e := newEmu(t)
	secret := serviceToken(t, e)
	base := *e.srv.AdminConfig()
	base.Account = "SOMEONE_ELSE"
	err := Verify(context.Background(), base, "SVC", secret)
	require.ErrorIs(t, err, ErrBadCredentials)
	assert.NotErrorIs(t, err, ErrInvalidToken)
	assertTextsHideSecret(t, secret, err.Error())

	d, err := Diagnose(context.Background(), e.client, base, "SVC", secret)
	require.NoError(t, err)
	assert.Equal(t, CauseUnknown, d.Cause, "the token itself is fine")
	assert.Contains(t, d.Hint, "check the account and the user in the connection settings")
}

// TestVerifyUserDisabledAnswer covers the one classified login failure the
// emulator cannot produce for a token login: it answers a disabled user's
// token with 394400, as its tokens are disabled with it, while Snowflake
// documents 390101 for a disabled user. A bare HTTP server gives that
// answer to the real driver.
func TestVerifyUserDisabledAnswer(t *testing.T) {
	// No emulator runs here to keep the driver from probing cloud metadata
	// addresses on its first connection: this test may be the first.
	pattest.DisablePlatformDetection()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"success":false,"code":"390101","message":"User access disabled. Contact your local system administrator.","data":{"sqlState":"08004"}}`)
	}))
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	// A transport of our own, so that its idle connections can be closed
	// and goleak finds nothing left behind.
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	base := gosnowflake.Config{Account: "A", Host: u.Hostname(), Port: port, Protocol: "http", MaxRetryCount: 1, Transporter: tr}

	secret := NewSecret(secretText)
	err = Verify(context.Background(), base, "SVC", secret)
	require.ErrorIs(t, err, ErrUserDisabled)
	assertNoLeak(t, err.Error())
}
