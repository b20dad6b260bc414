package pat

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// TestPATPolicyEffective: the user's policy wins over the account's, which
// wins over Snowflake's defaults (issue 14's need (a)).
func TestPATPolicyEffective(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()

	p, err := e.client.PATPolicy(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, DefaultPATPolicy(), p)
	assert.True(t, p.RequiresRoleRestriction("SERVICE"))
	assert.True(t, p.RequiresRoleRestriction("LEGACY_SERVICE"))
	assert.False(t, p.RequiresRoleRestriction(""))

	e.exec(`CREATE AUTHENTICATION POLICY ACCT PAT_POLICY = (MAX_EXPIRY_IN_DAYS = 90 DEFAULT_EXPIRY_IN_DAYS = 30)`,
		`ALTER ACCOUNT SET AUTHENTICATION POLICY ACCT`)
	p, err = e.client.PATPolicy(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, PolicyFromAccount, p.Source)
	assert.Equal(t, "SNOWPAT.POLICIES.ACCT", p.Policy)
	assert.Equal(t, 90, p.MaxExpiryDays)
	assert.Equal(t, 30, p.DefaultExpiryDays)
	assert.Equal(t, Limits{MaxDaysToExpiry: 90}, p.Limits())

	e.exec(`CREATE AUTHENTICATION POLICY STRICT PAT_POLICY = (
		NETWORK_POLICY_EVALUATION = NOT_ENFORCED
		REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE
		REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS = TRUE
		BLOCKED_ROLES_LIST = ('ACCOUNTADMIN', 'SYSADMIN'))`,
		`ALTER USER "ALICE" SET AUTHENTICATION POLICY STRICT`)
	p, err = e.client.PATPolicy(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, PATPolicy{
		Source: PolicyFromUser, Policy: "SNOWPAT.POLICIES.STRICT", DefaultExpiryDays: 15, MaxExpiryDays: 365,
		NetworkPolicyEvaluation: "NOT_ENFORCED", RequireRoleRestrictionForPersonUsers: true,
		BlockedRoles: []string{"ACCOUNTADMIN", "SYSADMIN"},
	}, p)
	assert.True(t, p.Blocks("SYSADMIN"))
	assert.False(t, p.Blocks("READER"))
	assert.False(t, p.RequiresRoleRestriction("SERVICE"))
	assert.True(t, p.RequiresRoleRestriction("PERSON"))
}

// TestPATPolicyRefused: without the privilege to read policies the error
// says so; it is never mistaken for "no policy, so the defaults".
func TestPATPolicyRefused(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	e.exec(`CREATE ROLE "LOW"`, `GRANT ROLE "LOW" TO USER "ALICE"`)
	low := NewClient(e.open(e.srv.Config("ALICE", pattest.Password("pw"))))
	_, err := low.PATPolicy(context.Background(), "ALICE")
	require.ErrorIs(t, err, ErrPermissionDenied)
}

func TestParsePATPolicy(t *testing.T) {
	p := DefaultPATPolicy()
	require.NoError(t, parsePATPolicy("{DEFAULT_EXPIRY_IN_DAYS=1, MAX_EXPIRY_IN_DAYS=30, NETWORK_POLICY_EVALUATION=NOT_ENFORCED, REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=false, REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS=false, BLOCKED_ROLES_LIST=[]}", &p))
	assert.Equal(t, 1, p.DefaultExpiryDays)
	assert.Equal(t, 30, p.MaxExpiryDays)
	assert.False(t, p.RequireRoleRestrictionForServiceUsers)
	assert.Empty(t, p.BlockedRoles)

	p = DefaultPATPolicy()
	require.NoError(t, parsePATPolicy("{BLOCKED_ROLES_LIST=[A, B], SOMETHING_NEW=[X, Y], MAX_EXPIRY_IN_DAYS=7}", &p))
	assert.Equal(t, []string{"A", "B"}, p.BlockedRoles)
	assert.Equal(t, 7, p.MaxExpiryDays)
	require.NoError(t, parsePATPolicy("null", &p))

	for _, bad := range []string{"DEFAULT_EXPIRY_IN_DAYS=1", "{MAX_EXPIRY_IN_DAYS=many}", "{BLOCKED_ROLES_LIST=[A, B}",
		"{REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=maybe}", "{NOEQUALS}", "{BLOCKED_ROLES_LIST=A}"} {
		p := DefaultPATPolicy()
		assert.ErrorIs(t, parsePATPolicy(bad, &p), ErrMalformedResult, bad)
	}
}

// TestAddRoleRestrictionFollowsPolicy: the client insists on a role
// restriction only when the caller says the policy requires one, and PUBLIC
// is a valid restriction for any user (items 6 and 8).
func TestAddRoleRestrictionFollowsPolicy(t *testing.T) {
	e := newEmu(t)
	e.serviceUser("SVC", "R1")
	e.exec(`CREATE USER "OLD_SVC" TYPE = LEGACY_SERVICE NETWORK_POLICY = LOOPBACK`)
	e.personUser("ALICE")
	ctx := context.Background()

	for _, user := range []string{"SVC", "OLD_SVC"} {
		info, err := e.client.DescribeUser(ctx, user)
		require.NoError(t, err)
		pp, err := e.client.PATPolicy(ctx, user)
		require.NoError(t, err)
		_, err = e.client.Add(ctx, user, "T", AddOptions{RoleRestrictionRequired: pp.RequiresRoleRestriction(info.Type)})
		require.ErrorIs(t, err, ErrRoleRestrictionRequired, user)
	}

	// The policy lifts the requirement: neither the client nor Snowflake insists.
	e.exec(`CREATE AUTHENTICATION POLICY FREE PAT_POLICY = (REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE)`,
		`ALTER USER "SVC" SET AUTHENTICATION POLICY FREE`)
	pp, err := e.client.PATPolicy(ctx, "SVC")
	require.NoError(t, err)
	res, err := e.client.Add(ctx, "SVC", "T", AddOptions{RoleRestrictionRequired: pp.RequiresRoleRestriction("SERVICE")})
	require.NoError(t, err)
	assert.False(t, res.Secret.IsZero())

	// PUBLIC needs no grant.
	res, err = e.client.Add(ctx, "ALICE", "P", AddOptions{RoleRestriction: "PUBLIC", RoleRestrictionRequired: true})
	require.NoError(t, err)
	require.NoError(t, e.login("ALICE", pattest.PAT(res.Secret.Reveal())))
}
