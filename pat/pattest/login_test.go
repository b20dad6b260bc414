package pattest_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestLoginByEveryMethod(t *testing.T) {
	e := newEnv(t)
	key := newKey(t)
	key2 := newKey(t)
	e.exec(
		"CREATE NETWORK POLICY loopback ALLOWED_IP_LIST = ('127.0.0.1')",
		"CREATE USER alice PASSWORD = 'correct horse' NETWORK_POLICY = loopback",
		"CREATE USER bob TYPE = SERVICE RSA_PUBLIC_KEY = '"+pattest.PublicKeyBody(&key.PublicKey)+"'",
	)
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT alice_pat")

	cases := []struct {
		name string
		user string
		auth pattest.Auth
	}{
		{"password", "alice", pattest.Password("correct horse")},
		{"PAT authenticator", "alice", pattest.PAT(secret)},
		{"PAT as password", "alice", pattest.PATAsPassword(secret)},
		{"login name is case-insensitive", "Alice", pattest.PAT(secret)},
		{"key pair", "bob", pattest.KeyPair(key)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := e.open(e.srv.Config(c.user, c.auth))
			got := queryString(t, db, "SELECT CURRENT_USER()")
			require.Equal(t, map[string]string{"alice": "ALICE", "Alice": "ALICE", "bob": "BOB"}[c.user], got)
		})
	}

	t.Run("second RSA key", func(t *testing.T) {
		require.Error(t, e.login(e.srv.Config("bob", pattest.KeyPair(key2))))
		e.exec("ALTER USER bob SET RSA_PUBLIC_KEY_2 = '" + pattest.PublicKeyBody(&key2.PublicKey) + "'")
		require.NoError(t, e.login(e.srv.Config("bob", pattest.KeyPair(key2))))
	})
}

func TestLoginFailures(t *testing.T) {
	e := newEnv(t)
	key := newKey(t)
	e.exec(
		"CREATE NETWORK POLICY loopback ALLOWED_IP_LIST = ('127.0.0.0/8')",
		"CREATE NETWORK POLICY elsewhere ALLOWED_IP_LIST = ('10.0.0.0/8')",
		"CREATE USER alice PASSWORD = 'pw' NETWORK_POLICY = loopback",
		"CREATE USER carol PASSWORD = 'pw' NETWORK_POLICY = loopback",
	)
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t1 DAYS_TO_EXPIRY = 1")
	carolSecret := addPAT(t, e.admin, "ALTER USER carol ADD PAT t1")

	t.Run("bad password", func(t *testing.T) {
		requireCode(t, e.login(e.srv.Config("alice", pattest.Password("wrong"))), 390100, "Incorrect username or password")
	})
	t.Run("unknown user", func(t *testing.T) {
		requireCode(t, e.login(e.srv.Config("nobody", pattest.Password("pw"))), 390100)
		requireCode(t, e.login(e.srv.Config("nobody", pattest.PAT(secret))), 394400)
	})
	t.Run("bad PAT", func(t *testing.T) {
		requireCode(t, e.login(e.srv.Config("alice", pattest.PAT("not-a-token"))), 394400, "Programmatic access token is invalid")
	})
	t.Run("PAT of another user", func(t *testing.T) {
		requireCode(t, e.login(e.srv.Config("alice", pattest.PAT(carolSecret))), 394400)
	})
	t.Run("PAT with a trailing newline", func(t *testing.T) {
		requireCode(t, e.login(e.srv.Config("alice", pattest.PAT(secret+"\n"))), 394400)
	})
	t.Run("bad PAT as password", func(t *testing.T) {
		requireCode(t, e.login(e.srv.Config("alice", pattest.PATAsPassword(carolSecret))), 390100)
	})
	t.Run("disabled PAT", func(t *testing.T) {
		e.exec("ALTER USER carol MODIFY PAT t1 SET DISABLED = TRUE")
		requireCode(t, e.login(e.srv.Config("carol", pattest.PAT(carolSecret))), 394400)
		e.exec("ALTER USER carol MODIFY PAT t1 SET DISABLED = FALSE")
		require.NoError(t, e.login(e.srv.Config("carol", pattest.PAT(carolSecret))))
	})
	t.Run("wrong key", func(t *testing.T) {
		e.exec("CREATE USER keyed TYPE = SERVICE RSA_PUBLIC_KEY = '" + pattest.PublicKeyBody(&key.PublicKey) + "'")
		requireCode(t, e.login(e.srv.Config("keyed", pattest.KeyPair(newKey(t)))), 390144)
	})
	t.Run("disabled user", func(t *testing.T) {
		e.exec("CREATE USER dora PASSWORD = 'pw'", "ALTER USER dora SET DISABLED = TRUE")
		requireCode(t, e.login(e.srv.Config("dora", pattest.Password("pw"))), 390101)
	})
	t.Run("address not allowed", func(t *testing.T) {
		e.exec("CREATE USER erin PASSWORD = 'pw' NETWORK_POLICY = elsewhere")
		requireCode(t, e.login(e.srv.Config("erin", pattest.Password("pw"))), 390422, "is not allowed")
	})
	t.Run("blocked list wins", func(t *testing.T) {
		e.exec("CREATE NETWORK POLICY blocky ALLOWED_IP_LIST = ('0.0.0.0/0') BLOCKED_IP_LIST = ('127.0.0.1')",
			"CREATE USER fred PASSWORD = 'pw' NETWORK_POLICY = blocky")
		requireCode(t, e.login(e.srv.Config("fred", pattest.Password("pw"))), 390422)
	})
	t.Run("expired PAT", func(t *testing.T) {
		e.srv.FakeClock().Step(25 * time.Hour)
		requireCode(t, e.login(e.srv.Config("alice", pattest.PAT(secret))), 394400)
	})
}

func TestPATNeedsNetworkPolicyToBeUsed(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER pat_person PASSWORD = 'pw'")
	secret := addPAT(t, e.admin, "ALTER USER pat_person ADD PAT t")
	requireCode(t, e.login(e.srv.Config("pat_person", pattest.PAT(secret))), 390432, "Network policy is required")

	// A bypass window lets the token in without a policy until it lapses.
	e.exec("ALTER USER pat_person MODIFY PAT t SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 30")
	require.NoError(t, e.login(e.srv.Config("pat_person", pattest.PAT(secret))))
	e.srv.FakeClock().Step(31 * time.Minute)
	requireCode(t, e.login(e.srv.Config("pat_person", pattest.PAT(secret))), 390432)

	// An account-level policy satisfies the requirement.
	e.exec("CREATE NETWORK POLICY acct ALLOWED_IP_LIST = ('127.0.0.1', '::1')", "ALTER ACCOUNT SET NETWORK_POLICY = acct")
	require.NoError(t, e.login(e.srv.Config("pat_person", pattest.PAT(secret))))
	e.exec("ALTER ACCOUNT UNSET NETWORK_POLICY")

	// The authentication policy can relax the requirement.
	e.exec("CREATE AUTHENTICATION POLICY relaxed PAT_POLICY = (NETWORK_POLICY_EVALUATION = ENFORCED_NOT_REQUIRED)",
		"ALTER USER pat_person SET AUTHENTICATION POLICY relaxed")
	require.NoError(t, e.login(e.srv.Config("pat_person", pattest.PAT(secret))))
}

func TestAuthenticationPolicyMethods(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	secret := addPAT(t, e.admin, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(secret))))
	e.exec("CREATE AUTHENTICATION POLICY keys_only AUTHENTICATION_METHODS = ('KEYPAIR')",
		"ALTER USER svc SET AUTHENTICATION POLICY keys_only")
	requireCode(t, e.login(e.srv.Config("svc", pattest.PAT(secret))), 390186)
	e.exec("ALTER AUTHENTICATION POLICY keys_only SET AUTHENTICATION_METHODS = ('KEYPAIR', 'PROGRAMMATIC_ACCESS_TOKEN')")
	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(secret))))
}

func TestSessionRenewal(t *testing.T) {
	e := newEnv(t, pattest.WithSessionValidity(time.Hour, 4*time.Hour))
	db := e.admin
	require.Equal(t, "1", queryString(t, db, "SELECT 1"))
	before := e.srv.Counts()

	// Past the session token's validity the server answers 390112 and the
	// driver renews with the master token, invisibly to the caller.
	e.srv.FakeClock().Step(2 * time.Hour)
	require.Equal(t, "1", queryString(t, db, "SELECT 1"))
	after := e.srv.Counts()
	require.Equal(t, before.Renew+1, after.Renew)
	require.Equal(t, before.Login, after.Login)

	// Past the master token's validity the session is gone for good.
	e.srv.FakeClock().Step(5 * time.Hour)
	var one string
	err := db.QueryRow("SELECT 1").Scan(&one)
	requireCode(t, err, 390114)
}

func TestCloseDeletesSession(t *testing.T) {
	e := newEnv(t)
	db := e.open(e.srv.AdminConfig())
	require.NoError(t, db.Ping())
	n := e.srv.Sessions()
	require.GreaterOrEqual(t, n, 1)
	require.NoError(t, db.Close())
	require.Equal(t, n-1, e.srv.Sessions())
	require.GreaterOrEqual(t, e.srv.Counts().CloseSession, int64(1))
}

func TestPATSessionIsRoleRestricted(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	e.exec("CREATE ROLE writer", "GRANT ROLE writer TO USER svc")
	secret := addPAT(t, e.admin, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	db := e.open(e.srv.Config("svc", pattest.PAT(secret)))
	require.Equal(t, "READER", queryString(t, db, "SELECT CURRENT_ROLE()"))
	conn, err := db.Conn(t.Context())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(t.Context(), "USE ROLE writer")
	requireCode(t, err, 3001)

	// Asking for another role at login is refused too.
	cfg := e.srv.Config("svc", pattest.PAT(secret))
	cfg.Role = "WRITER"
	requireCode(t, e.login(cfg), 390189)

	// Revoking the restricted role stops the token working; granting it
	// back revives it. Dropping the role kills it.
	e.exec("REVOKE ROLE reader FROM USER svc")
	requireCode(t, e.login(e.srv.Config("svc", pattest.PAT(secret))), 394400)
	e.exec("GRANT ROLE reader TO USER svc")
	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(secret))))
	e.exec("DROP ROLE reader")
	requireCode(t, e.login(e.srv.Config("svc", pattest.PAT(secret))), 394400)
}

func TestUnrestrictedSessionCanSwitchRoles(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw' DEFAULT_ROLE = analyst", "CREATE ROLE analyst", "GRANT ROLE analyst TO USER alice")
	db := e.open(e.srv.Config("alice", pattest.Password("pw")))
	conn, err := db.Conn(t.Context())
	require.NoError(t, err)
	defer conn.Close()
	var role string
	require.NoError(t, conn.QueryRowContext(t.Context(), "SELECT CURRENT_ROLE()").Scan(&role))
	require.Equal(t, "ANALYST", role)
	_, err = conn.ExecContext(t.Context(), "USE ROLE PUBLIC")
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(t.Context(), "SELECT CURRENT_ROLE()").Scan(&role))
	require.Equal(t, "PUBLIC", role)
	_, err = conn.ExecContext(t.Context(), "USE ROLE ACCOUNTADMIN")
	requireCode(t, err, 2003)
}

var _ = sql.ErrNoRows
