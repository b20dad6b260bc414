package pat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatementText(t *testing.T) {
	must := func(s string, err error) string {
		t.Helper()
		require.NoError(t, err)
		return s
	}
	golden := []struct{ got, want string }{
		{must(addTokenSQL("SVC", "TOK", AddOptions{})),
			`ALTER USER "SVC" ADD PROGRAMMATIC ACCESS TOKEN "TOK"`},
		{must(addTokenSQL("svc user", "TOK", AddOptions{
			IfNotExists: true, RoleRestriction: "BI_READER", DaysToExpiry: 90, MinsToBypassNetworkPolicy: 30,
			Comment: `rotated by snowpat's "policy" \ weekly`, RoleRestrictionRequired: true,
		})),
			`ALTER USER "svc user" ADD PROGRAMMATIC ACCESS TOKEN IF NOT EXISTS "TOK" ROLE_RESTRICTION = 'BI_READER' DAYS_TO_EXPIRY = 90 MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 30 COMMENT = 'rotated by snowpat''s "policy" \\ weekly'`},
		{must(rotateTokenSQL("SVC", "TOK", RotateOptions{})),
			`ALTER USER "SVC" ROTATE PROGRAMMATIC ACCESS TOKEN "TOK"`},
		{must(rotateTokenSQL("SVC", "TOK", RotateOptions{GraceHours: 48})),
			`ALTER USER "SVC" ROTATE PROGRAMMATIC ACCESS TOKEN "TOK" EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 48`},
		{must(rotateTokenSQL("SVC", "TOK", RotateOptions{ExpireImmediately: true})),
			`ALTER USER "SVC" ROTATE PROGRAMMATIC ACCESS TOKEN "TOK" EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0`},
		{must(setDisabledSQL("SVC", "TOK", true)),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" SET DISABLED = TRUE`},
		{must(setDisabledSQL("SVC", "TOK", false)),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" SET DISABLED = FALSE`},
		{must(setCommentSQL("SVC", "TOK", "it's")),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" SET COMMENT = 'it''s'`},
		{must(unsetCommentSQL("SVC", "TOK")),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" UNSET COMMENT`},
		{must(setBypassSQL("SVC", "TOK", 1440)),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 1440`},
		{must(unsetBypassSQL("SVC", "TOK")),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" UNSET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT`},
		{must(renameTokenSQL("SVC", "TOK", "NEW_TOK")),
			`ALTER USER "SVC" MODIFY PROGRAMMATIC ACCESS TOKEN "TOK" RENAME TO "NEW_TOK"`},
		{must(removeTokenSQL("SVC", "TOK")),
			`ALTER USER "SVC" REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS "TOK"`},
		{must(showTokensSQL(`we"ird`)),
			`SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER "we""ird"`},
		{decodeTokenSQL,
			`SELECT SYSTEM$DECODE_PAT(?)`},
		{must(createServiceUserSQL(ServiceUser{Name: "POWERBI_SVC"})),
			`CREATE USER "POWERBI_SVC" TYPE = SERVICE`},
		{must(createServiceUserSQL(ServiceUser{
			Name: "POWERBI_SVC", DefaultRole: "BI_READER", DefaultWarehouse: "BI_WH", NetworkPolicy: "BI_NET",
			Comment: "Power BI refreshes", IfNotExists: true,
		})),
			`CREATE USER IF NOT EXISTS "POWERBI_SVC" TYPE = SERVICE DEFAULT_ROLE = "BI_READER" DEFAULT_WAREHOUSE = "BI_WH" NETWORK_POLICY = "BI_NET" COMMENT = 'Power BI refreshes'`},
		{must(grantRoleSQL("BI_READER", "POWERBI_SVC")),
			`GRANT ROLE "BI_READER" TO USER "POWERBI_SVC"`},
		{must(describeUserSQL("POWERBI_SVC")),
			`DESCRIBE USER "POWERBI_SVC"`},
	}
	for _, g := range golden {
		assert.Equal(t, g.want, g.got)
	}
}

func TestStatementQuotingErrorsStick(t *testing.T) {
	_, err := addTokenSQL("SVC", "TOK", AddOptions{Comment: "bad\x00"})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = grantRoleSQL("", "U")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = createServiceUserSQL(ServiceUser{Name: "U", DefaultRole: "\xff"})
	var qe *QuoteError
	require.ErrorAs(t, err, &qe)
	assert.Equal(t, "identifier", qe.Kind)
}
