package pattest_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestAddForms(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	e.exec("CREATE USER alice PASSWORD = 'pw'")

	t.Run("both spellings, names upper-cased, defaults", func(t *testing.T) {
		addPAT(t, e.admin, "ALTER USER svc ADD PROGRAMMATIC ACCESS TOKEN long_form ROLE_RESTRICTION = 'reader'")
		addPAT(t, e.admin, "alter user svc add pat short_form role_restriction = reader days_to_expiry = 30 comment = 'it''s \\'quoted\\''")
		addPAT(t, e.admin, `ALTER USER svc ADD PAT "Quoted_Name" ROLE_RESTRICTION = 'READER'`)
		rows := showPATs(t, e.admin, "svc")
		require.Contains(t, rows, "LONG_FORM")
		require.Contains(t, rows, "SHORT_FORM")
		require.Contains(t, rows, "QUOTED_NAME")
		now := e.srv.Clock().Now()
		require.WithinDuration(t, now.Add(15*24*time.Hour), rows["LONG_FORM"]["expires_at"].(time.Time), time.Second)
		require.WithinDuration(t, now.Add(30*24*time.Hour), rows["SHORT_FORM"]["expires_at"].(time.Time), time.Second)
		require.Equal(t, "it's 'quoted'", rows["SHORT_FORM"]["comment"])
		require.Nil(t, rows["LONG_FORM"]["comment"])
		require.Equal(t, "READER", rows["SHORT_FORM"]["role_restriction"])
		require.Equal(t, "ACTIVE", rows["SHORT_FORM"]["status"])
		require.Equal(t, "SVC", rows["SHORT_FORM"]["user_name"])
		require.Equal(t, pattest.AdminUser, rows["SHORT_FORM"]["created_by"])
		require.Nil(t, rows["SHORT_FORM"]["rotated_to"])
		require.Nil(t, rows["SHORT_FORM"]["mins_to_bypass_network_policy_requirement"])
	})
	t.Run("current user when the name is omitted", func(t *testing.T) {
		db := e.open(e.srv.Config("alice", pattest.Password("pw")))
		addPAT(t, db, "ALTER USER ADD PAT mine")
		require.Contains(t, showPATs(t, db, "alice"), "MINE")
		// SHOW without FOR USER lists the current user's tokens.
		rows, err := db.Query("SHOW USER PATS")
		require.NoError(t, err)
		n := 0
		for rows.Next() {
			n++
		}
		require.NoError(t, rows.Close())
		require.Equal(t, 1, n)
	})
	t.Run("a user named like a verb", func(t *testing.T) {
		e.exec(`CREATE USER "ADD" PASSWORD = 'pw'`)
		addPAT(t, e.admin, "ALTER USER add ADD PAT odd")
		require.Contains(t, showPATs(t, e.admin, `"ADD"`), "ODD")
	})
	t.Run("if not exists returns no secret", func(t *testing.T) {
		var name string
		var secret sql.NullString
		require.NoError(t, e.admin.QueryRow("ALTER USER alice ADD PAT IF NOT EXISTS mine").Scan(&name, &secret))
		require.Equal(t, "MINE", name)
		require.False(t, secret.Valid)
		_, err := e.admin.Exec("ALTER USER alice ADD PAT mine")
		requireCode(t, err, 2002, "already exists")
	})
	t.Run("if exists on a missing user", func(t *testing.T) {
		_, err := e.admin.Exec("ALTER USER IF EXISTS ghost ADD PAT x")
		require.NoError(t, err)
		_, err = e.admin.Exec("ALTER USER ghost ADD PAT x")
		requireCode(t, err, 2003, "User 'GHOST' does not exist")
	})
	t.Run("invalid values", func(t *testing.T) {
		for _, stmt := range []string{
			"ALTER USER alice ADD PAT bad1 DAYS_TO_EXPIRY = 0",
			"ALTER USER alice ADD PAT bad2 DAYS_TO_EXPIRY = 366",
			"ALTER USER alice ADD PAT bad3 MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 0",
			"ALTER USER alice ADD PAT bad4 MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 1441",
			`ALTER USER alice ADD PAT "has space"`,
			`ALTER USER alice ADD PAT "1starts_with_digit"`,
			"ALTER USER svc ADD PAT bad5 ROLE_RESTRICTION = 'READER' MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 10",
		} {
			_, err := e.admin.Exec(stmt)
			requireCode(t, err, 1008, "invalid value")
		}
		_, err := e.admin.Exec("ALTER USER alice ADD PAT bad6 COLOUR = 'blue'")
		requireCode(t, err, 1003)
	})
}

func TestSecretReturnedOnlyByAddAndRotate(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	secret := addPAT(t, e.admin, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	require.NotEmpty(t, secret)
	var name, secret2, rotated string
	require.NoError(t, e.admin.QueryRow("ALTER USER svc ROTATE PAT t").Scan(&name, &secret2, &rotated))
	require.NotEqual(t, secret, secret2)
	// Nothing else anywhere carries either secret.
	for _, q := range []string{"SHOW USER PATS FOR USER svc", "DESCRIBE USER svc", "SHOW USERS"} {
		rows, err := e.admin.Query(q)
		require.NoError(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			for _, v := range vals {
				require.NotContains(t, v.String, secret)
				require.NotContains(t, v.String, secret2)
			}
		}
		require.NoError(t, rows.Close())
	}
}

func TestServiceUserRules(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE ROLE reader", "CREATE ROLE other",
		"CREATE USER svc TYPE = SERVICE", "GRANT ROLE reader TO USER svc",
		"CREATE USER legacy TYPE = LEGACY_SERVICE PASSWORD = 'x'")

	_, err := e.admin.Exec("ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	requireCode(t, err, 1008, "network policy is required")
	_, err = e.admin.Exec("ALTER USER legacy ADD PAT t")
	requireCode(t, err, 1008)

	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "ALTER USER svc SET NETWORK_POLICY = lo")
	_, err = e.admin.Exec("ALTER USER svc ADD PAT t")
	requireCode(t, err, 1008, "ROLE_RESTRICTION is required")
	_, err = e.admin.Exec("ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'OTHER'")
	requireCode(t, err, 1008, "not granted")
	_, err = e.admin.Exec("ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'NOPE'")
	requireCode(t, err, 2003, "Role 'NOPE'")
	addPAT(t, e.admin, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")

	// An authentication policy can lift both requirements.
	e.exec("CREATE USER svc2 TYPE = SERVICE",
		"CREATE AUTHENTICATION POLICY lax PAT_POLICY = (NETWORK_POLICY_EVALUATION = NOT_ENFORCED REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE)",
		"ALTER USER svc2 SET AUTHENTICATION POLICY lax")
	s2 := addPAT(t, e.admin, "ALTER USER svc2 ADD PAT t")
	require.NoError(t, e.login(e.srv.Config("svc2", pattest.PAT(s2))))
	// A PERSON user needs neither.
	e.exec("CREATE USER person PASSWORD = 'pw'")
	addPAT(t, e.admin, "ALTER USER person ADD PAT t")
}

func TestTokenLimit(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	for i := 0; i < 13; i++ {
		addPAT(t, e.admin, fmt.Sprintf("ALTER USER alice ADD PAT t%d", i))
	}
	// Disabled tokens count.
	e.exec("ALTER USER alice MODIFY PAT t0 SET DISABLED = TRUE")
	// A rotated-out token counts: 14 listed tokens -> 15.
	e.exec("ALTER USER alice ROTATE PAT t1")
	_, err := e.admin.Exec("ALTER USER alice ADD PAT t99")
	// 13 named + 1 rotated = 14: one more fits.
	require.NoError(t, err)
	_, err = e.admin.Exec("ALTER USER alice ADD PAT t100")
	requireCode(t, err, 1008, "exceeds the limit of 15")
	// Rotating needs a slot for the rotated-out token, unless it expires at once.
	_, err = e.admin.Exec("ALTER USER alice ROTATE PAT t2")
	requireCode(t, err, 1008)
	e.exec("ALTER USER alice ROTATE PAT t2 EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0")

	// Expired tokens do not count.
	e.exec("ALTER USER alice REMOVE PAT t99")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT short DAYS_TO_EXPIRY = 1")
	_, err = e.admin.Exec("ALTER USER alice ADD PAT t100")
	requireCode(t, err, 1008)
	e.srv.FakeClock().Step(25 * time.Hour) // SHORT and the rotated T1 expire
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t100")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t101")
}

func TestRotation(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	old := addPAT(t, e.admin, "ALTER USER svc ADD PAT app ROLE_RESTRICTION = 'READER' DAYS_TO_EXPIRY = 90 COMMENT = 'bi'")
	e.srv.FakeClock().Step(10 * 24 * time.Hour)
	now := e.srv.Clock().Now()

	var name, fresh, rotated string
	require.NoError(t, e.admin.QueryRow("ALTER USER svc ROTATE PROGRAMMATIC ACCESS TOKEN app EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 48").Scan(&name, &fresh, &rotated))
	require.Equal(t, "APP", name)
	require.Regexp(t, regexp.MustCompile(`^APP_ROTATED_\d+$`), rotated)
	require.Equal(t, fmt.Sprintf("APP_ROTATED_%d", now.UnixMilli()), rotated)

	rows := showPATs(t, e.admin, "svc")
	require.Len(t, rows, 2)
	// The new secret keeps the name and the lifetime length (90 days).
	require.WithinDuration(t, now.Add(90*24*time.Hour), rows["APP"]["expires_at"].(time.Time), time.Second)
	require.Equal(t, "READER", rows["APP"]["role_restriction"])
	require.Equal(t, "bi", rows["APP"]["comment"])
	require.Nil(t, rows["APP"]["rotated_to"])
	// The old secret lives on under the rotated name for the grace period.
	require.Equal(t, "APP", rows[rotated]["rotated_to"])
	require.WithinDuration(t, now.Add(48*time.Hour), rows[rotated]["expires_at"].(time.Time), time.Second)

	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(old))))
	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(fresh))))
	decoded := decode(t, e, old)
	require.Equal(t, rotated, decoded["PAT_NAME"])

	// A rotated-out token can only expire or be removed.
	_, err := e.admin.Exec("ALTER USER svc ROTATE PAT " + rotated)
	requireCode(t, err, 1008)
	_, err = e.admin.Exec("ALTER USER svc MODIFY PAT " + rotated + " SET COMMENT = 'x'")
	requireCode(t, err, 1008)

	e.srv.FakeClock().Step(49 * time.Hour)
	requireCode(t, e.login(e.srv.Config("svc", pattest.PAT(old))), 394400)
	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(fresh))))
	require.Equal(t, "EXPIRED", showPATs(t, e.admin, "svc")[rotated]["status"])
	e.exec("ALTER USER svc REMOVE PAT " + rotated)
}

func TestRotationGrace(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'",
		"CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "ALTER USER alice SET NETWORK_POLICY = lo")
	old := addPAT(t, e.admin, "ALTER USER alice ADD PAT t DAYS_TO_EXPIRY = 2")

	// Default grace is 24 hours.
	var name, fresh, rotated string
	require.NoError(t, e.admin.QueryRow("ALTER USER alice ROTATE PAT t").Scan(&name, &fresh, &rotated))
	require.WithinDuration(t, e.srv.Clock().Now().Add(24*time.Hour), showPATs(t, e.admin, "alice")[rotated]["expires_at"].(time.Time), time.Second)
	require.NoError(t, e.login(e.srv.Config("alice", pattest.PAT(old))))

	// Zero expires the old secret at once.
	e.srv.FakeClock().Step(time.Millisecond)
	require.NoError(t, e.admin.QueryRow("ALTER USER alice ROTATE PAT t EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0").Scan(&name, new(string), &rotated))
	requireCode(t, e.login(e.srv.Config("alice", pattest.PAT(fresh))), 394400)
	require.Equal(t, "EXPIRED", showPATs(t, e.admin, "alice")[rotated]["status"])

	// Grace beyond what the old secret has left is an error; negative too.
	_, err := e.admin.Exec("ALTER USER alice ROTATE PAT t EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 49")
	requireCode(t, err, 1008, "EXPIRE_ROTATED_TOKEN_AFTER_HOURS")
	_, err = e.admin.Exec("ALTER USER alice ROTATE PAT t EXPIRE_ROTATED_TOKEN_AFTER_HOURS = -1")
	requireCode(t, err, 1008)

	// An expired token cannot be rotated; a missing one is not found.
	e.srv.FakeClock().Step(49 * time.Hour)
	_, err = e.admin.Exec("ALTER USER alice ROTATE PAT t")
	requireCode(t, err, 1008)
	_, err = e.admin.Exec("ALTER USER alice ROTATE PAT nope")
	requireCode(t, err, 2003, "Programmatic access token NOPE not found")
}

func TestModify(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t COMMENT = 'first'")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT other")

	e.exec("ALTER USER alice MODIFY PAT t SET DISABLED = TRUE COMMENT = 'second' MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 60")
	r := showPATs(t, e.admin, "alice")["T"]
	require.Equal(t, "DISABLED", r["status"])
	require.Equal(t, "second", r["comment"])
	require.Equal(t, "60", fmt.Sprint(r["mins_to_bypass_network_policy_requirement"]))

	e.exec("ALTER USER alice MODIFY PROGRAMMATIC ACCESS TOKEN t UNSET DISABLED, COMMENT, MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT")
	r = showPATs(t, e.admin, "alice")["T"]
	require.Equal(t, "ACTIVE", r["status"])
	require.Nil(t, r["comment"])
	require.Nil(t, r["mins_to_bypass_network_policy_requirement"])

	e.exec("ALTER USER alice MODIFY PAT t RENAME TO renamed")
	rows := showPATs(t, e.admin, "alice")
	require.Contains(t, rows, "RENAMED")
	require.NotContains(t, rows, "T")
	_, err := e.admin.Exec("ALTER USER alice MODIFY PAT renamed RENAME TO other")
	requireCode(t, err, 2002)

	for _, stmt := range []string{
		"ALTER USER alice MODIFY PAT renamed SET DAYS_TO_EXPIRY = 3",
		"ALTER USER alice MODIFY PAT renamed SET ROLE_RESTRICTION = 'PUBLIC'",
		"ALTER USER alice MODIFY PAT renamed SET DISABLED = maybe",
		"ALTER USER alice MODIFY PAT renamed SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 2000",
	} {
		_, err := e.admin.Exec(stmt)
		requireCode(t, err, 1008)
	}
	_, err = e.admin.Exec("ALTER USER alice MODIFY PAT missing SET DISABLED = TRUE")
	requireCode(t, err, 2003)
}

func TestRemove(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'", "CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "ALTER USER alice SET NETWORK_POLICY = lo")
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
	var status string
	require.NoError(t, e.admin.QueryRow("ALTER USER alice REMOVE PROGRAMMATIC ACCESS TOKEN t").Scan(&status))
	require.Equal(t, "Programmatic access token T successfully removed.", status)
	require.Empty(t, showPATs(t, e.admin, "alice"))
	requireCode(t, e.login(e.srv.Config("alice", pattest.PAT(secret))), 394400)
	require.Equal(t, "REMOVED", decode(t, e, secret)["STATE"])
	_, err := e.admin.Exec("ALTER USER alice REMOVE PAT t")
	requireCode(t, err, 2003)
	// The name is free again.
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
}

func TestUserDisableCascadesToTokens(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	secret := addPAT(t, e.admin, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	e.exec("ALTER USER svc SET DISABLED = TRUE")
	require.Equal(t, "DISABLED", showPATs(t, e.admin, "svc")["T"]["status"])
	requireCode(t, e.login(e.srv.Config("svc", pattest.PAT(secret))), 394400)
	// Re-enabling the user leaves the token disabled until it is enabled.
	e.exec("ALTER USER svc SET DISABLED = FALSE")
	require.Equal(t, "DISABLED", showPATs(t, e.admin, "svc")["T"]["status"])
	requireCode(t, e.login(e.srv.Config("svc", pattest.PAT(secret))), 394400)
	e.exec("ALTER USER svc MODIFY PAT t SET DISABLED = FALSE")
	require.NoError(t, e.login(e.srv.Config("svc", pattest.PAT(secret))))
}

func TestExpiredTokensVisibleFor30Days(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t DAYS_TO_EXPIRY = 1")
	e.srv.FakeClock().Step(24 * time.Hour)
	require.Equal(t, "EXPIRED", showPATs(t, e.admin, "alice")["T"]["status"])
	require.Equal(t, "EXPIRED", decode(t, e, secret)["STATE"])
	e.srv.FakeClock().Step(30*24*time.Hour - time.Minute)
	require.Contains(t, showPATs(t, e.admin, "alice"), "T")
	e.srv.FakeClock().Step(2 * time.Minute)
	require.NotContains(t, showPATs(t, e.admin, "alice"), "T")
	require.Equal(t, "EXPIRED", decode(t, e, secret)["STATE"])
}

func TestPATSessionCannotManagePATs(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'", "CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "ALTER USER alice SET NETWORK_POLICY = lo")
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
	for _, auth := range []pattest.Auth{pattest.PAT(secret), pattest.PATAsPassword(secret)} {
		db := e.open(e.srv.Config("alice", auth))
		for _, stmt := range []string{
			"ALTER USER ADD PAT another",
			"ALTER USER alice ROTATE PAT t",
			"ALTER USER MODIFY PAT t SET COMMENT = 'x'",
			"ALTER USER REMOVE PAT t",
		} {
			_, err := db.Exec(stmt)
			requireCode(t, err, 3001, "cannot manage programmatic access tokens")
		}
		// Reading is allowed.
		require.Contains(t, showPATs(t, db, "alice"), "T")
	}
	// The same user with a password may.
	db := e.open(e.srv.Config("alice", pattest.Password("pw")))
	addPAT(t, db, "ALTER USER ADD PAT another")
}

func TestPrivilegesOnOtherUsers(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	key := newKey(t)
	e.exec("CREATE ROLE rotator",
		"CREATE USER bot TYPE = SERVICE DEFAULT_ROLE = rotator RSA_PUBLIC_KEY = '"+pattest.PublicKeyBody(&key.PublicKey)+"'",
		"GRANT ROLE rotator TO USER bot",
		"CREATE USER alice PASSWORD = 'pw'")
	bot := e.open(e.srv.Config("bot", pattest.KeyPair(key)))
	alice := e.open(e.srv.Config("alice", pattest.Password("pw")))

	// Without a grant neither may touch svc's tokens.
	for _, db := range []*sql.DB{bot, alice} {
		_, err := db.Exec("ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
		requireCode(t, err, 3001, "Insufficient privileges")
		_, err = db.Query("SHOW USER PATS FOR USER svc")
		requireCode(t, err, 3001)
	}
	// A service user cannot manage its own tokens without a grant either.
	_, err := bot.Exec("ALTER USER ADD PAT mine")
	requireCode(t, err, 3001)

	e.exec("GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER svc TO ROLE rotator")
	addPAT(t, bot, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	require.Contains(t, showPATs(t, bot, "svc"), "T")
	e.exec("REVOKE MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER svc FROM ROLE rotator")
	_, err = bot.Exec("ALTER USER svc ROTATE PAT t")
	requireCode(t, err, 3001)

	e.exec("GRANT OWNERSHIP ON USER svc TO ROLE rotator COPY CURRENT GRANTS")
	// Ownership moved: ACCOUNTADMIN does not inherit ROTATOR, so only the
	// bot may manage svc's tokens now.
	_, err = e.admin.Exec("ALTER USER svc ROTATE PAT t")
	requireCode(t, err, 3001)
	_, err = bot.Exec("ALTER USER svc ROTATE PAT t")
	require.NoError(t, err)
	_, err = alice.Exec("ALTER USER svc REMOVE PAT t")
	requireCode(t, err, 3001)
	_, err = alice.Exec("CREATE USER mallory")
	requireCode(t, err, 3001)
}

func TestDecodePAT(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
	got := decode(t, e, secret)
	require.Equal(t, map[string]string{"STATE": "ACTIVE", "PAT_NAME": "T", "USER_NAME": "ALICE"}, got)
	e.exec("ALTER USER alice MODIFY PAT t SET DISABLED = TRUE")
	require.Equal(t, "DISABLED", decode(t, e, secret)["STATE"])

	// As a literal too.
	var raw string
	require.NoError(t, e.admin.QueryRow("SELECT SYSTEM$DECODE_PAT('"+secret+"')").Scan(&raw))
	require.Contains(t, raw, `"PAT_NAME":"T"`)

	var s string
	err := e.admin.QueryRow("SELECT SYSTEM$DECODE_PAT(?)", secret+"\n").Scan(&s)
	requireCode(t, err, 394400)
}

func decode(t *testing.T, e *env, secret string) map[string]string {
	t.Helper()
	raw := queryString(t, e.admin, "SELECT SYSTEM$DECODE_PAT(?)", secret)
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(raw), &m))
	return m
}

func TestLegacyShowColumns(t *testing.T) {
	e := newEnv(t, pattest.WithLegacyShowColumns())
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 5")
	r := showPATs(t, e.admin, "alice")["T"]
	require.Equal(t, "5", fmt.Sprint(r["mins_to_bypass_required_network_policy"]))
	_, has := r["rotated_to"]
	require.False(t, has)
	_, has = r["mins_to_bypass_network_policy_requirement"]
	require.False(t, has)
}

func TestAuthenticationPolicyExpiry(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'", "CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "ALTER USER alice SET NETWORK_POLICY = lo",
		"CREATE AUTHENTICATION POLICY short PAT_POLICY = (DEFAULT_EXPIRY_IN_DAYS = 7 MAX_EXPIRY_IN_DAYS = 30)")
	long := addPAT(t, e.admin, "ALTER USER alice ADD PAT long DAYS_TO_EXPIRY = 60")
	e.exec("ALTER ACCOUNT SET AUTHENTICATION POLICY short")
	// Lowering the maximum makes longer-lived existing tokens fail.
	requireCode(t, e.login(e.srv.Config("alice", pattest.PAT(long))), 394400)
	addPAT(t, e.admin, "ALTER USER alice ADD PAT dflt")
	require.WithinDuration(t, e.srv.Clock().Now().Add(7*24*time.Hour), showPATs(t, e.admin, "alice")["DFLT"]["expires_at"].(time.Time), time.Second)
	_, err := e.admin.Exec("ALTER USER alice ADD PAT toolong DAYS_TO_EXPIRY = 31")
	requireCode(t, err, 1008, "DAYS_TO_EXPIRY")
	// A user-level policy overrides the account's.
	e.exec("CREATE AUTHENTICATION POLICY generous PAT_POLICY = (MAX_EXPIRY_IN_DAYS = 365)", "ALTER USER alice SET AUTHENTICATION POLICY generous")
	require.NoError(t, e.login(e.srv.Config("alice", pattest.PAT(long))))
	e.exec("ALTER USER alice UNSET AUTHENTICATION POLICY", "ALTER ACCOUNT UNSET AUTHENTICATION POLICY")

	for _, stmt := range []string{
		"CREATE AUTHENTICATION POLICY bad PAT_POLICY = (MAX_EXPIRY_IN_DAYS = 0)",
		"CREATE AUTHENTICATION POLICY bad PAT_POLICY = (DEFAULT_EXPIRY_IN_DAYS = 40 MAX_EXPIRY_IN_DAYS = 30)",
		"CREATE AUTHENTICATION POLICY bad PAT_POLICY = (NETWORK_POLICY_EVALUATION = SOMETIMES)",
		"CREATE AUTHENTICATION POLICY bad AUTHENTICATION_METHODS = ('TELEPATHY')",
	} {
		_, err := e.admin.Exec(stmt)
		requireCode(t, err, 1008)
	}
	_, err = e.admin.Exec("DROP AUTHENTICATION POLICY short")
	require.NoError(t, err)
	var _ = strings.ToUpper
}
