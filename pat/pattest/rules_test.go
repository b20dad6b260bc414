package pattest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// Rules from Snowflake's documentation and live observations that issue 15
// found the emulator getting wrong. Each test names its source.

// TestMissingTokenNotFound: REMOVE, ROTATE and MODIFY of a token the user
// does not have answer "Programmatic access token <NAME> not found", as
// the Terraform provider's live test observes (and asserts the text is not
// the generic "does not exist or not authorized"). A missing user is
// still 002003 "does not exist or not authorized".
func TestMissingTokenNotFound(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	for _, stmt := range []string{
		"ALTER USER alice REMOVE PAT nope",
		"ALTER USER alice ROTATE PROGRAMMATIC ACCESS TOKEN nope",
		"ALTER USER alice MODIFY PAT nope SET COMMENT = 'x'",
		"ALTER USER alice MODIFY PAT nope RENAME TO other",
	} {
		_, err := e.admin.Exec(stmt)
		requireCode(t, err, 2003, "Programmatic access token NOPE not found")
		assert.NotContains(t, err.Error(), "does not exist or not authorized", stmt)
	}
	_, err := e.admin.Exec("ALTER USER ghost REMOVE PAT nope")
	requireCode(t, err, 2003, "User 'GHOST' does not exist or not authorized")
}

// TestIfExistsAfterTokenKeyword: REMOVE and ROTATE take IF EXISTS after
// the token keyword, in both spellings, and then do nothing for a missing
// token (their reference pages). MODIFY's page has no such clause.
func TestIfExistsAfterTokenKeyword(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	for _, stmt := range []string{
		"ALTER USER alice REMOVE PAT IF EXISTS nope",
		"ALTER USER alice REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS nope",
		"ALTER USER IF EXISTS alice ROTATE PAT IF EXISTS nope",
		"ALTER USER alice ROTATE PROGRAMMATIC ACCESS TOKEN IF EXISTS nope EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0",
		"ALTER USER IF EXISTS ghost REMOVE PAT IF EXISTS nope",
	} {
		_, err := e.admin.Exec(stmt)
		require.NoError(t, err, stmt)
	}
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
	_, err := e.admin.Exec("ALTER USER alice REMOVE PAT IF EXISTS t")
	require.NoError(t, err)
	assert.Empty(t, showPATs(t, e.admin, "alice"))

	_, err = e.admin.Exec("ALTER USER alice MODIFY PAT IF EXISTS t SET COMMENT = 'x'")
	requireCode(t, err, 1003)
}

// TestPublicRoleRestriction: PUBLIC is granted to every user, so a token
// may be restricted to it without a grant (the Terraform provider's live
// test does this), and it logs in.
func TestPublicRoleRestriction(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "CREATE USER alice PASSWORD = 'pw' NETWORK_POLICY = lo")
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t ROLE_RESTRICTION = 'PUBLIC'")
	assert.Equal(t, "PUBLIC", showPATs(t, e.admin, "alice")["T"]["role_restriction"])
	db := e.open(e.srv.Config("ALICE", pattest.PAT(secret)))
	assert.Equal(t, "PUBLIC", queryString(t, db, "SELECT CURRENT_ROLE()"))
}

// TestBypassMinutesCountDown: SHOW reports the minutes of network-policy
// bypass left, counting down from the value set (the Terraform provider
// reads it back with a tolerance for that reason).
func TestBypassMinutesCountDown(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 10")
	left := func() any { return showPATs(t, e.admin, "alice")["T"]["mins_to_bypass_network_policy_requirement"] }
	assert.Equal(t, "10", left())
	e.srv.FakeClock().Step(4*time.Minute + 30*time.Second)
	assert.Equal(t, "6", left())
	e.srv.FakeClock().Step(10 * time.Minute)
	assert.Equal(t, "0", left())
}

// TestRoleRestrictionRequirement: required for SERVICE and LEGACY_SERVICE
// users unless REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE (release
// note 2025-11-19); for PERSON users only when
// REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS = TRUE (release 10.15).
func TestRoleRestrictionRequirement(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')",
		"CREATE USER svc TYPE = SERVICE NETWORK_POLICY = lo",
		"CREATE USER old TYPE = LEGACY_SERVICE NETWORK_POLICY = lo",
		"CREATE USER alice PASSWORD = 'pw' NETWORK_POLICY = lo")
	for _, u := range []string{"svc", "old"} {
		_, err := e.admin.Exec("ALTER USER " + u + " ADD PAT t")
		requireCode(t, err, 1008, "ROLE_RESTRICTION is required")
	}
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t")

	e.exec("CREATE AUTHENTICATION POLICY lift PAT_POLICY = (REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE)",
		"ALTER USER svc SET AUTHENTICATION POLICY lift", "ALTER USER old SET AUTHENTICATION POLICY lift")
	addPAT(t, e.admin, "ALTER USER svc ADD PAT t")
	addPAT(t, e.admin, "ALTER USER old ADD PAT t")

	e.exec("CREATE AUTHENTICATION POLICY person PAT_POLICY = (REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS = TRUE)",
		"ALTER USER alice SET AUTHENTICATION POLICY person")
	_, err := e.admin.Exec("ALTER USER alice ADD PAT u")
	requireCode(t, err, 1008, "ROLE_RESTRICTION is required")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT u ROLE_RESTRICTION = 'PUBLIC'")
}

// TestBlockedRoles: BLOCKED_ROLES_LIST refuses a role as a restriction and
// invalidates existing tokens restricted to it (release 10.15); removing
// the block revives them.
func TestBlockedRoles(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	secret := addPAT(t, e.admin, "ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'READER'")
	require.NoError(t, e.login(e.srv.Config("SVC", pattest.PAT(secret))))

	e.exec("CREATE AUTHENTICATION POLICY blocks PAT_POLICY = (BLOCKED_ROLES_LIST = ('READER', 'ACCOUNTADMIN'))",
		"ALTER ACCOUNT SET AUTHENTICATION POLICY blocks")
	requireCode(t, e.login(e.srv.Config("SVC", pattest.PAT(secret))), 394400)
	_, err := e.admin.Exec("ALTER USER svc ADD PAT u ROLE_RESTRICTION = 'READER'")
	requireCode(t, err, 1008, "BLOCKED_ROLES_LIST")

	e.exec("ALTER AUTHENTICATION POLICY blocks SET PAT_POLICY = (BLOCKED_ROLES_LIST = ('ACCOUNTADMIN'))")
	require.NoError(t, e.login(e.srv.Config("SVC", pattest.PAT(secret))))
}

// TestPATSessionRulePerStatement: the MODIFY and REMOVE pages forbid token
// management in a PAT-authenticated session outright; the ROTATE page only
// "for the same user"; for ADD the emulator assumes the strict rule.
func TestPATSessionRulePerStatement(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')",
		"CREATE ROLE mgr",
		"CREATE USER alice PASSWORD = 'pw' NETWORK_POLICY = lo DEFAULT_ROLE = mgr",
		"GRANT ROLE mgr TO USER alice",
		"CREATE USER bob PASSWORD = 'pw' NETWORK_POLICY = lo",
		"GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER bob TO ROLE mgr")
	secret := addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
	addPAT(t, e.admin, "ALTER USER bob ADD PAT b")
	db := e.open(e.srv.Config("ALICE", pattest.PAT(secret)))

	var name, sec, rotated string
	require.NoError(t, db.QueryRow("ALTER USER bob ROTATE PAT b").Scan(&name, &sec, &rotated), "another user's token may be rotated")
	for _, stmt := range []string{
		"ALTER USER alice ROTATE PAT t",
		"ALTER USER bob REMOVE PAT b",
		"ALTER USER bob MODIFY PAT b SET COMMENT = 'x'",
		"ALTER USER bob ADD PAT c",
	} {
		_, err := db.Exec(stmt)
		requireCode(t, err, 3001, "cannot manage programmatic access tokens")
	}
}

// TestPolicyAndGrantListings: SHOW AUTHENTICATION POLICIES, DESCRIBE
// AUTHENTICATION POLICY and SHOW GRANTS TO USER answer with Snowflake's
// columns (the Terraform provider's SDK and the 2025_01 bundle page).
func TestPolicyAndGrantListings(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'", "CREATE ROLE reader", "GRANT ROLE reader TO USER alice",
		"CREATE AUTHENTICATION POLICY p PAT_POLICY = (MAX_EXPIRY_IN_DAYS = 30 BLOCKED_ROLES_LIST = ('SYSADMIN'))",
		"ALTER USER alice SET AUTHENTICATION POLICY p")
	cols := func(q string) ([]string, [][]any) {
		rows, err := e.admin.Query(q)
		require.NoError(t, err, q)
		defer rows.Close()
		c, err := rows.Columns()
		require.NoError(t, err)
		var out [][]any
		for rows.Next() {
			v := make([]any, len(c))
			p := make([]any, len(c))
			for i := range v {
				p[i] = &v[i]
			}
			require.NoError(t, rows.Scan(p...))
			out = append(out, v)
		}
		return c, out
	}
	c, rows := cols("SHOW AUTHENTICATION POLICIES ON USER alice")
	assert.Equal(t, []string{"created_on", "name", "comment", "database_name", "schema_name", "kind", "owner", "owner_role_type", "options"}, c)
	require.Len(t, rows, 1)
	assert.Equal(t, "P", rows[0][1])
	_, rows = cols("SHOW AUTHENTICATION POLICIES ON ACCOUNT")
	assert.Empty(t, rows)

	c, rows = cols(`DESCRIBE AUTHENTICATION POLICY "SNOWPAT"."POLICIES"."P"`)
	assert.Equal(t, []string{"property", "value", "default", "description"}, c)
	found := false
	for _, r := range rows {
		if r[0] == "PAT_POLICY" {
			found = true
			assert.Equal(t, "{DEFAULT_EXPIRY_IN_DAYS=15, MAX_EXPIRY_IN_DAYS=30, NETWORK_POLICY_EVALUATION=ENFORCED_REQUIRED, REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=true, REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS=false, BLOCKED_ROLES_LIST=[SYSADMIN]}", r[1])
		}
	}
	assert.True(t, found)

	c, rows = cols("SHOW GRANTS TO USER alice")
	assert.Equal(t, []string{"created_on", "privilege", "granted_on", "name", "role", "granted_to", "grantee_name", "grant_option", "granted_by"}, c)
	require.Len(t, rows, 1)
	assert.Equal(t, "READER", rows[0][4])
	assert.Equal(t, "ALICE", rows[0][6])

	// Without APPLY AUTHENTICATION POLICY the policy cannot be read.
	db := e.open(e.srv.Config("ALICE", pattest.Password("pw")))
	_, err := db.Exec("SHOW AUTHENTICATION POLICIES ON USER alice")
	requireCode(t, err, 3001)
}
