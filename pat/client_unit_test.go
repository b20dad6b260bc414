package pat

import (
	"context"
	"database/sql/driver"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests run the Client over fakeDB to pin down what it sends and how
// it reads answers. The pattest emulator tests cover the real driver.

func TestClientValidatesBeforeSending(t *testing.T) {
	f, db := newFakeDB(t, nil)
	c := NewClient(db)
	ctx := context.Background()
	calls := map[string]func() error{
		"Add bad user":          func() error { _, err := c.Add(ctx, "", "T", AddOptions{}); return err },
		"Add bad token":         func() error { _, err := c.Add(ctx, "U", "1T", AddOptions{}); return err },
		"Add bad days":          func() error { _, err := c.Add(ctx, "U", "T", AddOptions{DaysToExpiry: 400}); return err },
		"Add service no role":   func() error { _, err := c.Add(ctx, "U", "T", AddOptions{RoleRestrictionRequired: true}); return err },
		"Rotate negative grace": func() error { _, err := c.Rotate(ctx, "U", "T", RotateOptions{GraceHours: -1}); return err },
		"Rotate bad token":      func() error { _, err := c.Rotate(ctx, "U", "T-1", RotateOptions{}); return err },
		"Disable bad user":      func() error { return c.Disable(ctx, "U\n", "T") },
		"Enable bad token":      func() error { return c.Enable(ctx, "U", "") },
		"SetComment NUL":        func() error { return c.SetComment(ctx, "U", "T", "\x00") },
		"UnsetComment bad":      func() error { return c.UnsetComment(ctx, "", "T") },
		"Bypass zero":           func() error { return c.SetNetworkPolicyBypass(ctx, "U", "T", 0) },
		"Bypass too long":       func() error { return c.SetNetworkPolicyBypass(ctx, "U", "T", 1441) },
		"UnsetBypass bad":       func() error { return c.UnsetNetworkPolicyBypass(ctx, "U", "T T") },
		"Rename bad new name":   func() error { return c.Rename(ctx, "U", "T", "NEW NAME") },
		"Remove bad":            func() error { return c.Remove(ctx, "U", "T;") },
		"RemoveAll bad":         func() error { _, err := c.RemoveAll(ctx, ""); return err },
		"List bad":              func() error { _, err := c.List(ctx, "\xff"); return err },
		"Get bad":               func() error { _, err := c.Get(ctx, "U", ""); return err },
		"CreateServiceUser bad": func() error { return c.CreateServiceUser(ctx, ServiceUser{Name: "U", NetworkPolicy: "\x00"}) },
		"GrantRole bad role":    func() error { return c.GrantRole(ctx, "", "U") },
		"GrantRole bad user":    func() error { return c.GrantRole(ctx, "R", "") },
		"DescribeUser bad":      func() error { _, err := c.DescribeUser(ctx, ""); return err },
		"Decode empty":          func() error { _, err := c.Decode(ctx, Secret{}); return err },
	}
	for name, call := range calls {
		err := call()
		assert.ErrorIs(t, err, ErrInvalidArgument, name)
		assert.True(t, strings.HasPrefix(err.Error(), "pat: "), name)
	}
	assert.Empty(t, f.statements(), "nothing may be sent when validation fails")
}

func TestClientAddReadsColumnsByName(t *testing.T) {
	f, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"TOKEN_SECRET", "extra", "Token_Name"}, rows: [][]driver.Value{{secretText, "x", "MY_TOKEN"}}}
	})
	res, err := NewClient(db).Add(context.Background(), "svc", "my_token", AddOptions{DaysToExpiry: 30})
	require.NoError(t, err)
	assert.Equal(t, "MY_TOKEN", res.TokenName)
	assert.Equal(t, secretText, res.Secret.Reveal())
	assert.False(t, res.Existed)
	assert.Equal(t, []string{`ALTER USER "svc" ADD PROGRAMMATIC ACCESS TOKEN "MY_TOKEN" DAYS_TO_EXPIRY = 30`}, f.statements(),
		"user names are sent as given, token names upper-cased")
}

func TestClientAddIfNotExists(t *testing.T) {
	for name, answer := range map[string]fakeResult{
		"no rows":         {cols: []string{"token_name", "token_secret"}},
		"NULL secret":     {cols: []string{"token_name", "token_secret"}, rows: [][]driver.Value{{"T", nil}}},
		"status row only": {cols: []string{"status"}, rows: [][]driver.Value{{"Token T already exists, statement succeeded."}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, db := newFakeDB(t, func(string) fakeResult { return answer })
			c := NewClient(db)
			res, err := c.Add(context.Background(), "U", "T", AddOptions{IfNotExists: true})
			require.NoError(t, err)
			assert.True(t, res.Existed)
			assert.True(t, res.Secret.IsZero())
			assert.Equal(t, "T", res.TokenName)

			// Without IF NOT EXISTS the same answer means a lost secret.
			_, err = c.Add(context.Background(), "U", "T", AddOptions{})
			assert.ErrorIs(t, err, errNoSecret)
		})
	}
}

func TestClientMapsServerErrors(t *testing.T) {
	_, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{err: &gosnowflake.SnowflakeError{Number: 394401, SQLState: "54000",
			Message: "Number of programmatic access tokens for user 'U' exceeds the limit of 15."}}
	})
	_, err := NewClient(db).Add(context.Background(), "U", "T", AddOptions{})
	require.ErrorIs(t, err, ErrUnclassified)
	var se *gosnowflake.SnowflakeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 394401, se.Number)
	assert.Equal(t, `pat: add token "T" of user "U": unclassified: 394401 (54000): Number of programmatic access tokens for user 'U' exceeds the limit of 15.`, err.Error())
	assert.NotContains(t, err.Error(), "ALTER USER", "SQL text never goes into errors")
}

func TestClientRotate(t *testing.T) {
	f, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"rotated_token_name", "token_secret", "token_name"},
			rows: [][]driver.Value{{"T_ROTATED_1700000000000", secretText, "T"}}}
	})
	res, err := NewClient(db).Rotate(context.Background(), "U", "t", RotateOptions{GraceHours: 2})
	require.NoError(t, err)
	assert.Equal(t, RotateResult{TokenName: "T", Secret: NewSecret(secretText), RotatedTokenName: "T_ROTATED_1700000000000"}, res)
	assert.Equal(t, []string{`ALTER USER "U" ROTATE PROGRAMMATIC ACCESS TOKEN "T" EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 2`}, f.statements())
}

func TestClientRotateKeepsSecretWhenAnswerIsPartial(t *testing.T) {
	_, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"token_name", "token_secret"}, rows: [][]driver.Value{{"T", secretText}}}
	})
	res, err := NewClient(db).Rotate(context.Background(), "U", "T", RotateOptions{})
	require.ErrorIs(t, err, errNoRotatedName)
	assert.Equal(t, secretText, res.Secret.Reveal(), "a live secret is never dropped")

	_, db = newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"token_name"}, rows: [][]driver.Value{{"T"}}}
	})
	_, err = NewClient(db).Rotate(context.Background(), "U", "T", RotateOptions{})
	assert.ErrorIs(t, err, errNoSecret)
}

func TestClientModifyStatements(t *testing.T) {
	f, db := newFakeDB(t, nil)
	c := NewClient(db)
	ctx := context.Background()
	require.NoError(t, c.Disable(ctx, "U", "t"))
	require.NoError(t, c.Enable(ctx, "U", "t"))
	require.NoError(t, c.SetComment(ctx, "U", "t", "c'"))
	require.NoError(t, c.UnsetComment(ctx, "U", "t"))
	require.NoError(t, c.SetNetworkPolicyBypass(ctx, "U", "t", 60))
	require.NoError(t, c.UnsetNetworkPolicyBypass(ctx, "U", "t"))
	require.NoError(t, c.Rename(ctx, "U", "t", "new_t"))
	require.NoError(t, c.Remove(ctx, "U", "t"))
	require.NoError(t, c.CreateServiceUser(ctx, ServiceUser{Name: "U", IfNotExists: true}))
	require.NoError(t, c.GrantRole(ctx, "R", "U"))
	p := `ALTER USER "U" MODIFY PROGRAMMATIC ACCESS TOKEN "T" `
	assert.Equal(t, []string{
		p + "SET DISABLED = TRUE",
		p + "SET DISABLED = FALSE",
		p + "SET COMMENT = 'c'''",
		p + "UNSET COMMENT",
		p + "SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 60",
		p + "UNSET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT",
		p + `RENAME TO "NEW_T"`,
		`ALTER USER "U" REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS "T"`,
		`CREATE USER IF NOT EXISTS "U" TYPE = SERVICE`,
		`GRANT ROLE "R" TO USER "U"`,
	}, f.statements())
}

func TestClientRemoveAll(t *testing.T) {
	notFound := &gosnowflake.SnowflakeError{Number: 2003, SQLState: "02000", Message: "Programmatic access token 'B_ROTATED_1' does not exist or not authorized."}
	f, db := newFakeDB(t, func(q string) fakeResult {
		switch {
		case strings.HasPrefix(q, "SHOW"):
			return fakeResult{cols: []string{"name", "rotated_to"}, rows: [][]driver.Value{
				{"A", nil}, {"B", nil}, {"B_ROTATED_1", "B"}, {"A_ROTATED_2", "A"},
			}}
		case strings.Contains(q, `"B_ROTATED_1"`):
			return fakeResult{err: notFound}
		}
		return fakeResult{}
	})
	removed, err := NewClient(db).RemoveAll(context.Background(), "U")
	require.NoError(t, err)
	var names []string
	for _, tk := range removed {
		names = append(names, tk.Name)
	}
	assert.Equal(t, []string{"A_ROTATED_2", "A", "B"}, names, "a token already gone is skipped")
	assert.Equal(t, []string{
		`SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER "U"`,
		`ALTER USER "U" REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS "B_ROTATED_1"`,
		`ALTER USER "U" REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS "A_ROTATED_2"`,
		`ALTER USER "U" REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS "A"`,
		`ALTER USER "U" REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS "B"`,
	}, f.statements(), "rotated-out tokens go first")
}

func TestClientRemoveAllStopsOnFailure(t *testing.T) {
	_, db := newFakeDB(t, func(q string) fakeResult {
		switch {
		case strings.HasPrefix(q, "SHOW"):
			return fakeResult{cols: []string{"name"}, rows: [][]driver.Value{{"A"}, {"B"}, {"C"}}}
		case strings.Contains(q, `"B"`):
			return fakeResult{err: &gosnowflake.SnowflakeError{Number: 3001, SQLState: "42501", Message: "SQL access control error:\nInsufficient privileges to operate on user 'U'"}}
		}
		return fakeResult{}
	})
	removed, err := NewClient(db).RemoveAll(context.Background(), "U")
	require.ErrorIs(t, err, ErrPermissionDenied)
	require.Len(t, removed, 1)
	assert.Equal(t, "A", removed[0].Name)
}

func TestClientGet(t *testing.T) {
	_, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"name", "user_name", "status"}, rows: [][]driver.Value{{"A", "U", "ACTIVE"}, {"B", "U", "DISABLED"}}}
	})
	c := NewClient(db)
	tok, err := c.Get(context.Background(), "U", "b")
	require.NoError(t, err)
	assert.Equal(t, Token{Name: "B", UserName: "U", Status: StatusDisabled}, tok)
	_, err = c.Get(context.Background(), "U", "C")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, `pat: get token "C" of user "U": not found`, err.Error())
}

func TestClientDescribeUser(t *testing.T) {
	f, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"property", "value", "default", "description"}, rows: [][]driver.Value{
			{"NAME", "POWERBI_SVC", "null", "Name"},
			{"TYPE", "SERVICE", "null", "Type"},
			{"DISABLED", "false", "false", "Whether the user is disabled"},
			{"DEFAULT_ROLE", "BI_READER", "null", ""},
			{"DEFAULT_WAREHOUSE", "null", "null", ""},
			{"COMMENT", "Power BI", "null", ""},
			{"LOGIN_NAME", "POWERBI_SVC", "null", ""},
			{"RSA_PUBLIC_KEY_FP", "null", "null", ""},
			{"RSA_PUBLIC_KEY_2_FP", "SHA256:abc=", "null", ""},
			{"NETWORK_POLICY", "BI_NET", "null", ""},
		}}
	})
	info, err := NewClient(db).DescribeUser(context.Background(), "POWERBI_SVC")
	require.NoError(t, err)
	assert.Equal(t, "POWERBI_SVC", info.Name)
	assert.Equal(t, "SERVICE", info.Type)
	assert.True(t, info.IsService())
	assert.False(t, info.Disabled)
	assert.Equal(t, "BI_READER", info.DefaultRole)
	assert.Empty(t, info.DefaultWarehouse, "null reads as empty")
	assert.Equal(t, "Power BI", info.Comment)
	assert.Equal(t, "BI_NET", info.NetworkPolicy)
	assert.True(t, info.HasRSAPublicKey)
	assert.Equal(t, "", info.Properties["RSA_PUBLIC_KEY_FP"])
	assert.Equal(t, []string{`DESCRIBE USER "POWERBI_SVC"`}, f.statements())

	// Some tools name the value column property_value.
	info, err = userInfoFromRows([]row{{"property": "disabled", "property_value": "true"}, {"property": "type", "property_value": "person"}})
	require.NoError(t, err)
	assert.True(t, info.Disabled)
	assert.False(t, info.IsService())
	_, err = userInfoFromRows([]row{{"property": "DISABLED", "value": "perhaps"}})
	assert.Error(t, err)
}

func TestClientDecodeBindsTheSecret(t *testing.T) {
	f, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"SYSTEM$DECODE_PAT(?)"}, rows: [][]driver.Value{{`{"STATE":"ACTIVE","PAT_NAME":"T","USER_NAME":"U"}`}}}
	})
	c := NewClient(db)
	d, err := c.Decode(context.Background(), NewSecret(secretText))
	require.NoError(t, err)
	assert.Equal(t, DecodedToken{State: "ACTIVE", TokenName: "T", UserName: "U"}, d)
	require.Equal(t, []string{"SELECT SYSTEM$DECODE_PAT(?)"}, f.statements(), "the secret is not in the SQL text")
	require.Len(t, f.args[0], 1)
	assert.Equal(t, secretText, f.args[0][0].Value, "it travels as a bind parameter")

	for _, bad := range []fakeResult{
		{cols: []string{"x"}, rows: [][]driver.Value{{"not json " + secretText}}},
		{cols: []string{"x"}},
		{cols: []string{"x", "y"}, rows: [][]driver.Value{{"{}", "{}"}}},
	} {
		_, db := newFakeDB(t, func(string) fakeResult { return bad })
		_, err := NewClient(db).Decode(context.Background(), NewSecret(secretText))
		require.ErrorIs(t, err, errDecodeResult)
		assertNoLeak(t, err.Error())
	}
}

func TestClientDecodeScrubsServerEcho(t *testing.T) {
	// A secret that does not look like a token is still scrubbed, because
	// the Client knows it was in play.
	const plain = "plainsecretvalue"
	_, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{err: &gosnowflake.SnowflakeError{Number: 1003, SQLState: "42000", Message: "bad input '" + plain + "'"}}
	})
	_, err := NewClient(db).Decode(context.Background(), NewSecret(plain))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), plain)
	var se *gosnowflake.SnowflakeError
	require.ErrorAs(t, err, &se)
	assert.NotContains(t, se.Error(), plain)
}

func TestNewClient(t *testing.T) {
	assert.Panics(t, func() { NewClient(nil) })
	_, db := newFakeDB(t, nil)
	c := NewClient(db, WithLimits(Limits{MaxDaysToExpiry: 30}))
	assert.Equal(t, Limits{MaxDaysToExpiry: 30}, c.Limits())
	_, err := c.Add(context.Background(), "U", "T", AddOptions{DaysToExpiry: 31})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, `pat: add token "T" of user "U": invalid argument: DAYS_TO_EXPIRY must be between 1 and 30, got 31`, err.Error())
}
