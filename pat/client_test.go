package pat

import (
	"context"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestAddListGetAndLogin(t *testing.T) {
	e := newEmu(t)
	e.serviceUser("POWERBI_SVC", "BI_READER")
	ctx := context.Background()
	start := e.srv.Clock().Now()

	res, err := e.client.Add(ctx, "POWERBI_SVC", "powerbi", AddOptions{
		RoleRestriction: "BI_READER", DaysToExpiry: 90, Comment: `Power BI's "gateway" \ prod`, RoleRestrictionRequired: true,
	})
	require.NoError(t, err)
	assert.Equal(t, "POWERBI", res.TokenName)
	assert.False(t, res.Existed)
	require.False(t, res.Secret.IsZero())

	// The secret logs in, by the PAT authenticator and as a BI tool's password.
	require.NoError(t, e.login("POWERBI_SVC", pattest.PAT(res.Secret.Reveal())))
	require.NoError(t, e.login("POWERBI_SVC", pattest.PATAsPassword(res.Secret.Reveal())))

	tokens, err := e.client.List(ctx, "POWERBI_SVC")
	require.NoError(t, err)
	require.Len(t, tokens, 1)
	tok := tokens[0]
	assert.Equal(t, "POWERBI", tok.Name)
	assert.Equal(t, "POWERBI_SVC", tok.UserName)
	assert.Equal(t, "BI_READER", tok.RoleRestriction)
	assert.Equal(t, StatusActive, tok.Status)
	assert.Equal(t, `Power BI's "gateway" \ prod`, tok.Comment, "the comment survives quoting exactly")
	assert.Equal(t, pattest.AdminUser, tok.CreatedBy)
	assert.WithinDuration(t, start, tok.CreatedOn, time.Minute)
	assert.Equal(t, 90*24*time.Hour, tok.ExpiresAt.Sub(tok.CreatedOn))
	assert.False(t, tok.IsRotated())
	assert.Equal(t, 0, tok.MinsToBypassNetworkPolicy)

	got, err := e.client.Get(ctx, "POWERBI_SVC", "PowerBI")
	require.NoError(t, err)
	assert.Equal(t, tok, got)

	_, err = e.client.Get(ctx, "POWERBI_SVC", "OTHER")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = e.client.List(ctx, "NOBODY")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = e.client.List(ctx, "powerbi_svc")
	assert.ErrorIs(t, err, ErrNotFound, "names are exact: the lower-case user is another user")
	tokens, err = e.client.List(ctx, NormalizeName("powerbi_svc"))
	require.NoError(t, err)
	assert.Len(t, tokens, 1)
}

func TestAddIfNotExistsAndDuplicates(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()

	first, err := e.client.Add(ctx, "ALICE", "T", AddOptions{IfNotExists: true})
	require.NoError(t, err)
	assert.False(t, first.Existed)
	assert.False(t, first.Secret.IsZero())

	again, err := e.client.Add(ctx, "ALICE", "T", AddOptions{IfNotExists: true})
	require.NoError(t, err)
	assert.True(t, again.Existed)
	assert.True(t, again.Secret.IsZero())
	assert.Equal(t, "T", again.TokenName)

	_, err = e.client.Add(ctx, "ALICE", "t", AddOptions{})
	assert.ErrorIs(t, err, ErrAlreadyExists)
	var se *gosnowflake.SnowflakeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 2002, se.Number)

	_, err = e.client.Add(ctx, "NOBODY", "T", AddOptions{})
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestAddRefusals(t *testing.T) {
	e := newEmu(t)
	e.serviceUser("SVC", "R1")
	e.exec(`CREATE ROLE "R2"`, `CREATE USER "BARE_SVC" TYPE = SERVICE`)
	ctx := context.Background()

	t.Run("client refuses a service token without role before sending", func(t *testing.T) {
		before := e.statements()
		_, err := e.client.Add(ctx, "SVC", "T", AddOptions{RoleRestrictionRequired: true})
		require.ErrorIs(t, err, ErrRoleRestrictionRequired)
		assert.Equal(t, before, e.statements())
	})
	// Snowflake publishes neither the number nor the text of the next
	// refusals; the emulator answers with the generic invalid-value code
	// (001008), so they classify as ErrInvalidArgument and nothing finer.
	t.Run("server refuses it too", func(t *testing.T) {
		_, err := e.client.Add(ctx, "SVC", "T", AddOptions{})
		require.ErrorIs(t, err, ErrInvalidArgument)
		assert.NotErrorIs(t, err, ErrRoleRestrictionRequired, "no guessing from an unpublished message")
	})
	t.Run("role not granted", func(t *testing.T) {
		_, err := e.client.Add(ctx, "SVC", "T", AddOptions{RoleRestriction: "R2"})
		require.ErrorIs(t, err, ErrInvalidArgument)
	})
	t.Run("unknown role", func(t *testing.T) {
		_, err := e.client.Add(ctx, "SVC", "T", AddOptions{RoleRestriction: "NO_SUCH_ROLE"})
		require.ErrorIs(t, err, ErrNotFound)
	})
	t.Run("service user without network policy", func(t *testing.T) {
		_, err := e.client.Add(ctx, "BARE_SVC", "T", AddOptions{RoleRestriction: "R1"})
		require.ErrorIs(t, err, ErrInvalidArgument, "the emulator's generic code for an unpublished refusal")
	})
	t.Run("token limit", func(t *testing.T) {
		e.personUser("BUSY")
		for i := 0; i < 15; i++ {
			_, err := e.client.Add(ctx, "BUSY", "T"+string(rune('A'+i)), AddOptions{})
			require.NoError(t, err)
		}
		_, err := e.client.Add(ctx, "BUSY", "ONE_TOO_MANY", AddOptions{})
		require.ErrorIs(t, err, ErrInvalidArgument)
	})
	t.Run("lowered maximum lifetime", func(t *testing.T) {
		c := NewClient(e.admin, WithLimits(Limits{MaxDaysToExpiry: 30}))
		before := e.statements()
		_, err := c.Add(ctx, "SVC", "T", AddOptions{RoleRestriction: "R1", DaysToExpiry: 31})
		require.ErrorIs(t, err, ErrInvalidArgument)
		assert.Equal(t, before, e.statements())
	})
}

func TestPATSessionCannotManageTokens(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "T", AddOptions{})
	require.NoError(t, err)

	patDB := e.open(e.srv.Config("ALICE", pattest.PAT(res.Secret.Reveal())))
	c := NewClient(patDB)
	// The emulator answers with the access-control code (003001): the
	// number and text are not published.
	_, err = c.Add(ctx, "ALICE", "OTHER", AddOptions{})
	require.ErrorIs(t, err, ErrPermissionDenied)
	_, err = c.Rotate(ctx, "ALICE", "T", RotateOptions{})
	require.ErrorIs(t, err, ErrPermissionDenied)
	require.ErrorIs(t, c.Remove(ctx, "ALICE", "T"), ErrPermissionDenied)
}

func TestExpiry(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "SHORT", AddOptions{DaysToExpiry: 1})
	require.NoError(t, err)

	tok, err := e.client.Get(ctx, "ALICE", "SHORT")
	require.NoError(t, err)
	now := e.srv.Clock().Now()
	assert.InDelta(t, float64(24*time.Hour), float64(tok.ExpiresIn(now)), float64(time.Minute))
	assert.False(t, tok.IsExpired(now))

	e.srv.FakeClock().Step(25 * time.Hour)
	tok, err = e.client.Get(ctx, "ALICE", "SHORT")
	require.NoError(t, err, "expired tokens stay listed")
	assert.Equal(t, StatusExpired, tok.Status)
	assert.True(t, tok.IsExpired(e.srv.Clock().Now()))

	err = e.login("ALICE", pattest.PAT(res.Secret.Reveal()))
	require.ErrorIs(t, err, ErrInvalidToken, "Snowflake reports an expired token as invalid")
	assert.NotContains(t, err.Error(), res.Secret.Reveal())
}

func TestLoginErrorsClassified(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	e.exec(
		`CREATE NETWORK POLICY ELSEWHERE ALLOWED_IP_LIST = ('10.0.0.0/8')`,
		`CREATE USER "FAR" PASSWORD = 'pw' NETWORK_POLICY = ELSEWHERE`,
		`CREATE USER "NOPOLICY" PASSWORD = 'pw'`,
	)
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "T", AddOptions{})
	require.NoError(t, err)
	far, err := e.client.Add(ctx, "FAR", "T", AddOptions{})
	require.NoError(t, err)
	nopolicy, err := e.client.Add(ctx, "NOPOLICY", "T", AddOptions{})
	require.NoError(t, err)

	assert.ErrorIs(t, e.login("ALICE", pattest.PAT("not-a-token")), ErrInvalidToken)
	assert.ErrorIs(t, e.login("ALICE", pattest.PATAsPassword("not-a-token")), ErrBadCredentials)
	assert.ErrorIs(t, e.login("ALICE", pattest.Password("wrong")), ErrBadCredentials)
	assert.ErrorIs(t, e.login("FAR", pattest.PAT(far.Secret.Reveal())), ErrAddressNotAllowed)
	assert.ErrorIs(t, e.login("NOPOLICY", pattest.PAT(nopolicy.Secret.Reveal())), ErrNetworkPolicyRequired)

	e.exec(`ALTER USER "ALICE" SET DISABLED = TRUE`)
	assert.ErrorIs(t, e.login("ALICE", pattest.Password("pw")), ErrUserDisabled)
	assert.ErrorIs(t, e.login("ALICE", pattest.PAT(res.Secret.Reveal())), ErrInvalidToken)
}

func TestLegacyShowColumnsAndNames(t *testing.T) {
	e := newEmu(t, pattest.WithLegacyShowColumns())
	e.exec(
		"CREATE NETWORK POLICY LOOPBACK ALLOWED_IP_LIST = ('127.0.0.1/32')",
		`CREATE USER "we""ird user" PASSWORD = 'pw' NETWORK_POLICY = LOOPBACK`,
	)
	ctx := context.Background()
	_, err := e.client.Add(ctx, `we"ird user`, "T", AddOptions{MinsToBypassNetworkPolicy: 5})
	require.NoError(t, err)
	tokens, err := e.client.List(ctx, `we"ird user`)
	require.NoError(t, err)
	require.Len(t, tokens, 1)
	assert.Equal(t, `we"ird user`, tokens[0].UserName)
	assert.Equal(t, 5, tokens[0].MinsToBypassNetworkPolicy, "read from mins_to_bypass_required_network_policy")
	assert.Empty(t, tokens[0].RotatedTo)
}

func TestInjectedRealSnowflakeWording(t *testing.T) {
	// Real Snowflake may report a missing token under a number nobody has
	// recorded; its recorded message still classifies it, and an
	// unpublished message under an unknown number stays unclassified with
	// everything Snowflake said kept.
	e := newEmu(t)
	e.personUser("ALICE")
	e.srv.Inject(pattest.Fault{Match: "MODIFY PROGRAMMATIC ACCESS TOKEN", Err: &pattest.Error{
		Code: "000002", SQLState: "0A000", Message: "Programmatic access token T not found",
	}})
	require.ErrorIs(t, e.client.Disable(context.Background(), "ALICE", "T"), ErrNotFound)

	e.srv.Inject(pattest.Fault{Match: "ADD PROGRAMMATIC ACCESS TOKEN", Err: &pattest.Error{
		Code: "000002", SQLState: "0A000",
		Message: "Number of programmatic access tokens for user 'ALICE' exceeds the limit of 15.",
	}})
	_, err := e.client.Add(context.Background(), "ALICE", "T", AddOptions{})
	require.ErrorIs(t, err, ErrUnclassified)
	var pe *Error
	require.ErrorAs(t, err, &pe)
	assert.False(t, pe.Classified())
	assert.Equal(t, 2, pe.Code)
	assert.Equal(t, "0A000", pe.SQLState)
	assert.Contains(t, pe.Message, "exceeds the limit of 15")
}
