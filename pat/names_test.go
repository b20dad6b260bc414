package pat

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"powerbi_service": "POWERBI_SERVICE",
		"PowerBI_Svc$1":   "POWERBI_SVC$1",
		"_x":              "_X",
		"ALREADY":         "ALREADY",
		"has space":       "has space", // needs quotes: stored as written
		"1starts_digit":   "1starts_digit",
		"$dollar":         "$dollar",
		"dash-name":       "dash-name",
		"ünicode":         "ünicode",
		"":                "",
	} {
		assert.Equal(t, want, NormalizeName(in), in)
	}
}

func TestTokenNames(t *testing.T) {
	for _, ok := range []string{"A", "_", "TOKEN_1", "my_token", "_9", strings.Repeat("A", MaxNameLength)} {
		assert.NoError(t, ValidateTokenName(ok), ok)
	}
	for _, bad := range []string{"", "1TOKEN", "TOK-EN", "TOK EN", `TOK"`, "TOKÉN", "TOK$", "TOK\x00", strings.Repeat("A", MaxNameLength+1)} {
		err := ValidateTokenName(bad)
		assert.ErrorIs(t, err, ErrInvalidArgument, bad)
	}
	got, err := TokenNameOf("my_Token_1")
	require.NoError(t, err)
	assert.Equal(t, "MY_TOKEN_1", got)
	_, err = TokenNameOf("bad name")
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestUserNames(t *testing.T) {
	for _, ok := range []string{"U", "lower", "with space", `quote"d`, "it's", "ünï", strings.Repeat("é", MaxNameLength)} {
		assert.NoError(t, ValidateUserName(ok), ok)
	}
	for name, bad := range map[string]string{
		"empty":      "",
		"NUL":        "a\x00b",
		"newline":    "a\nb",
		"tab":        "a\tb",
		"DEL":        "a\x7fb",
		"C1 control": "a\u0085b",
		"bad UTF-8":  "a\xffb",
		"too long":   strings.Repeat("é", MaxNameLength+1),
	} {
		err := ValidateUserName(bad)
		require.ErrorIs(t, err, ErrInvalidArgument, name)
		assert.Contains(t, err.Error(), "user name", name)
	}
}

func TestValidateAdd(t *testing.T) {
	var l Limits
	ok := []AddOptions{
		{},
		{DaysToExpiry: 1},
		{DaysToExpiry: 365},
		{MinsToBypassNetworkPolicy: 1},
		{MinsToBypassNetworkPolicy: 1440},
		{RoleRestrictionRequired: true, RoleRestriction: "R"},
		{Comment: "multi\nline 'quoted' \\ comment"},
	}
	for _, o := range ok {
		assert.NoError(t, l.validateAdd(o), "%+v", o)
	}
	bad := map[string]struct {
		o     AddOptions
		field string
	}{
		"days zero is default but negative is not": {AddOptions{DaysToExpiry: -1}, "DAYS_TO_EXPIRY"},
		"days above max":              {AddOptions{DaysToExpiry: 366}, "DAYS_TO_EXPIRY"},
		"bypass negative":             {AddOptions{MinsToBypassNetworkPolicy: -5}, "MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT"},
		"bypass above max":            {AddOptions{MinsToBypassNetworkPolicy: 1441}, "MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT"},
		"service user without role":   {AddOptions{RoleRestrictionRequired: true}, "ROLE_RESTRICTION"},
		"role with control character": {AddOptions{RoleRestriction: "R\n"}, "ROLE_RESTRICTION"},
		"comment with NUL":            {AddOptions{Comment: "a\x00"}, "COMMENT"},
		"comment with bad UTF-8":      {AddOptions{Comment: "a\xff"}, "COMMENT"},
	}
	for name, c := range bad {
		err := l.validateAdd(c.o)
		require.ErrorIs(t, err, ErrInvalidArgument, name)
		assert.Contains(t, err.Error(), c.field, name)
	}
	assert.ErrorIs(t, l.validateAdd(AddOptions{RoleRestrictionRequired: true}), ErrRoleRestrictionRequired)

	lowered := Limits{MaxDaysToExpiry: 90}
	assert.NoError(t, lowered.validateAdd(AddOptions{DaysToExpiry: 90}))
	err := lowered.validateAdd(AddOptions{DaysToExpiry: 91})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "between 1 and 90")
}

func TestValidateRotate(t *testing.T) {
	var l Limits
	for _, o := range []RotateOptions{{}, {GraceHours: 1}, {GraceHours: DefaultMaxGraceHours}, {ExpireImmediately: true}} {
		assert.NoError(t, l.validateRotate(o), "%+v", o)
	}
	for _, o := range []RotateOptions{{GraceHours: -1}, {GraceHours: 5, ExpireImmediately: true}, {GraceHours: DefaultMaxGraceHours + 1}} {
		err := l.validateRotate(o)
		require.ErrorIs(t, err, ErrInvalidArgument, "%+v", o)
		assert.Contains(t, err.Error(), "EXPIRE_ROTATED_TOKEN_AFTER_HOURS")
	}
	bounded := Limits{MaxGraceHours: 720}
	assert.NoError(t, bounded.validateRotate(RotateOptions{GraceHours: 720}))
	assert.ErrorIs(t, bounded.validateRotate(RotateOptions{GraceHours: 721}), ErrInvalidArgument)
}

func TestValidateServiceUser(t *testing.T) {
	assert.NoError(t, validateServiceUser(ServiceUser{Name: "SVC"}))
	assert.NoError(t, validateServiceUser(ServiceUser{Name: "SVC", DefaultRole: "R", DefaultWarehouse: "W", NetworkPolicy: "NP", Comment: "c"}))
	for field, u := range map[string]ServiceUser{
		"user name":         {},
		"DEFAULT_ROLE":      {Name: "SVC", DefaultRole: "R\x01"},
		"DEFAULT_WAREHOUSE": {Name: "SVC", DefaultWarehouse: strings.Repeat("W", 256)},
		"NETWORK_POLICY":    {Name: "SVC", NetworkPolicy: "\xff"},
		"COMMENT":           {Name: "SVC", Comment: "\x00"},
	} {
		err := validateServiceUser(u)
		require.ErrorIs(t, err, ErrInvalidArgument, field)
		assert.Contains(t, err.Error(), field)
	}
}
