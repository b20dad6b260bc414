package policy_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
)

const configDay = 24 * time.Hour

// loadConfigString loads src under the name t.yaml, the name every
// expected message below starts with.
func loadConfigString(src string) (*policy.Config, error) {
	return policy.LoadConfig(strings.NewReader(src), "t.yaml")
}

// configPreset returns a fresh copy of a preset, renamed as a file's
// policy built on it would be.
func configPreset(t *testing.T, preset, name string) policy.Policy {
	t.Helper()
	p, ok := policy.Preset(preset)
	require.True(t, ok)
	p.Name = name
	return p
}

const fullConfig = `# every field, each with a non-default value
account: xy12345
policies:
  prod:
    preset: production
    rotateEvery: 60d
    roleRestriction: BI_READER
    warnBefore: [10d, 2d]
  fast:
    rotateEvery: 36h
    rotateBefore: 12h
    lifetimeDays: 3
    grace: 6h
    consumerCacheTTL: 90m
    roleRestriction: ETL
    warnBefore: [1d]
    strategy: blue-green
    maxTokens: 5
targets:
  - name: powerbi
    account: other
    user: POWERBI_SERVICE
    token: POWERBI
    policy: prod
    roleRestriction: X
    stores: ["file:///var/lib/snowpat/powerbi", "awssm://prod/powerbi?region=eu-west-1"]
    format: raw
    compromised: true
    compromisedAt: 2026-11-20T10:00:00Z
  - user: etl
    token: ETL_PAT
    policy: fast
    stores: [mem://etl]
  - user: DEV
    token: DEV_PAT
    policy: development
    stores: [mem://dev]
    format: json
`

func TestLoadConfigFull(t *testing.T) {
	c, err := loadConfigString(fullConfig)
	require.NoError(t, err)

	prod := configPreset(t, "production", "prod")
	prod.RotateEvery = 60 * configDay
	prod.RoleRestriction = "X" // the target's override
	prod.WarnBefore = []time.Duration{10 * configDay, 2 * configDay}
	want := &policy.Config{
		Account: "xy12345",
		Targets: []policy.Target{
			{
				Name: "powerbi", Account: "other", User: "POWERBI_SERVICE", Token: "POWERBI", Policy: prod,
				Stores:      []string{"file:///var/lib/snowpat/powerbi", "awssm://prod/powerbi?region=eu-west-1"},
				Format:      pat.FormatRaw,
				Compromised: true, CompromisedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
			},
			{
				Account: "xy12345", User: "etl", Token: "ETL_PAT",
				Policy: policy.Policy{
					Name: "fast", RotateEvery: 36 * time.Hour, RotateBefore: 12 * time.Hour, LifetimeDays: 3,
					Grace: 6 * time.Hour, ConsumerCacheTTL: 90 * time.Minute, RoleRestriction: "ETL",
					WarnBefore: []time.Duration{configDay}, Strategy: policy.StrategyBlueGreen, MaxTokens: 5,
				},
				Stores: []string{"mem://etl"},
			},
			{
				Account: "xy12345", User: "DEV", Token: "DEV_PAT",
				Policy: configPreset(t, "development", "development"),
				Stores: []string{"mem://dev"}, Format: pat.FormatJSON,
			},
		},
	}
	require.Equal(t, want, c)
	require.NoError(t, c.Validate())
	require.Equal(t, "etl/ETL_PAT", c.Targets[1].ID())
}

func TestLoadConfigFile(t *testing.T) {
	path := filepath.Join("testdata", "config", "valid.yaml")
	c, err := policy.LoadConfigFile(path)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, "xy12345", c.Account)
	ids := make([]string, len(c.Targets))
	for i, tg := range c.Targets {
		ids[i] = tg.ID()
	}
	require.Equal(t, []string{"powerbi", "tableau", "ETL_SERVICE/ETL_PAT"}, ids)
	require.Equal(t, "bi", c.Targets[0].Policy.Name)
	require.Equal(t, "BI_READER", c.Targets[0].Policy.RoleRestriction)
	require.Equal(t, "TABLEAU_READER", c.Targets[1].Policy.RoleRestriction)
	require.Equal(t, "other-account", c.Targets[1].Account)
	require.Equal(t, pat.FormatRaw, c.Targets[1].Format)
	require.Equal(t, "development", c.Targets[2].Policy.Name)

	// Errors about the file carry the path it was opened with.
	_, err = policy.LoadConfigFile(filepath.Join("testdata", "config", "invalid.yaml"))
	require.ErrorIs(t, err, policy.ErrInvalidConfig)
	require.EqualError(t, err, filepath.Join("testdata", "config", "invalid.yaml")+`:5:13: targets[0].policy: unknown policy "prdo" (known: development, production)`)

	// Not finding the file is not a config error.
	_, err = policy.LoadConfigFile(filepath.Join("testdata", "config", "missing.yaml"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.NotErrorIs(t, err, policy.ErrInvalidConfig)
}

func TestLoadConfigPresets(t *testing.T) {
	for _, name := range []string{"production", "development"} {
		t.Run(name, func(t *testing.T) {
			// Used directly by a target, and as the base of a named policy.
			c, err := loadConfigString(`
policies:
  mine:
    preset: ` + name + `
targets:
  - {user: A, token: T, policy: ` + name + `, stores: [mem://a]}
  - {user: B, token: T, policy: mine, stores: [mem://b]}
`)
			require.NoError(t, err)
			require.Equal(t, configPreset(t, name, name), c.Targets[0].Policy)
			require.Equal(t, configPreset(t, name, "mine"), c.Targets[1].Policy)
		})
	}
}

func TestLoadConfigOverrides(t *testing.T) {
	c, err := loadConfigString(`
account: main
policies:
  prod:
    preset: production
    grace: 48h
    warnBefore: []
    roleRestriction: R
  production:             # a file's policy replaces the preset of that name
    preset: development
    maxTokens: 3
targets:
  - {user: A, token: T, policy: prod, stores: [mem://a], roleRestriction: OVERRIDE}
  - {user: B, token: T, policy: prod, stores: [mem://b], account: elsewhere}
  - {user: C, token: T, policy: production, stores: [mem://c]}
`)
	require.NoError(t, err)

	prod := configPreset(t, "production", "prod")
	prod.Grace = 48 * time.Hour
	prod.WarnBefore = nil // an empty list removes the preset's
	prod.RoleRestriction = "R"
	overridden := prod
	overridden.RoleRestriction = "OVERRIDE"
	require.Equal(t, overridden, c.Targets[0].Policy)
	require.Equal(t, prod, c.Targets[1].Policy, "one target's override leaves the others alone")
	require.Equal(t, "main", c.Targets[0].Account)
	require.Equal(t, "elsewhere", c.Targets[1].Account)

	replaced := configPreset(t, "development", "production")
	replaced.MaxTokens = 3
	require.Equal(t, replaced, c.Targets[2].Policy)
}

// TestLoadConfigPresetsUntouched checks that targets get their own copies:
// changing one changes neither the package's presets nor another target.
func TestLoadConfigPresetsUntouched(t *testing.T) {
	before := configPreset(t, "production", "production")
	c, err := loadConfigString(`
targets:
  - {user: A, token: T, policy: production, stores: [mem://a]}
  - {user: B, token: T, policy: production, stores: [mem://b]}
`)
	require.NoError(t, err)
	c.Targets[0].Policy.WarnBefore[0] = time.Second
	c.Targets[0].Policy.RotateEvery = time.Second
	require.Equal(t, before, policy.Production())
	require.Equal(t, before, c.Targets[1].Policy)
}

func TestLoadConfigDurations(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string // the message after t.yaml:5:17: policies.p.warnBefore[0]:
	}{
		{in: "90d", want: 90 * configDay},
		{in: "0d", want: 0},
		{in: "007d", want: 7 * configDay},
		{in: "36h", want: 36 * time.Hour},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "1.5h", want: 90 * time.Minute},
		{in: `"14d"`, want: 14 * configDay},
		{in: "1.5d", err: `invalid duration "1.5d": a d suffix takes whole days (90d); write fractions in hours (36h)`},
		{in: "1d12h", err: `invalid duration "1d12h": use Go syntax (36h, 90m) or whole days (90d)`},
		{in: "d", err: `invalid duration "d": a d suffix takes whole days (90d); write fractions in hours (36h)`},
		{in: "-1d", err: `invalid duration "-1d": a d suffix takes whole days (90d); write fractions in hours (36h)`},
		{in: "7D", err: `invalid duration "7D": use Go syntax (36h, 90m) or whole days (90d)`},
		{in: "90", err: `invalid duration "90": use Go syntax (36h, 90m) or whole days (90d)`},
		{in: "106751d", want: 106751 * configDay},
		{in: "106752d", err: `duration "106752d" is too long`},
		{in: "99999999999999999999d", err: `duration "99999999999999999999d" is too long`},
		{in: "9999999h", err: `invalid duration "9999999h": use Go syntax (36h, 90m) or whole days (90d)`},
		{in: `""`, err: `must not be empty`},
		{in: "1.5", err: `must be a duration, got a number 1.5`},
		{in: "true", err: `must be a duration, got a boolean true`},
		{in: "[1d]", err: `must be a duration, got a list`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			// warnBefore takes any positive list, so the policy stays valid
			// whatever the duration; a zero one is checked by Validate.
			c, err := loadConfigString(`
policies:
  p:
    preset: production
    warnBefore: [` + tc.in + `]
targets: [{user: U, token: T, policy: p, stores: [mem://u]}]
`)
			if tc.err != "" {
				require.ErrorIs(t, err, policy.ErrInvalidConfig)
				require.EqualError(t, err, "t.yaml:5:18: policies.p.warnBefore[0]: "+tc.err)
				return
			}
			if tc.want == 0 {
				require.ErrorIs(t, err, policy.ErrInvalidPolicy, "Validate refuses a zero threshold")
				require.EqualError(t, err, "t.yaml:3:3: policies.p: policy: invalid policy: warnBefore: thresholds must be positive, got 0s")
				return
			}
			require.NoError(t, err)
			require.Equal(t, []time.Duration{tc.want}, c.Targets[0].Policy.WarnBefore)
		})
	}
}

func TestLoadConfigAliases(t *testing.T) {
	c, err := loadConfigString(`
targets:
  - {user: A, token: T, policy: production, stores: &shared [mem://a, mem://b]}
  - &tmpl {user: B, token: T, policy: &pol development, stores: [mem://c]}
  - {user: C, token: T, policy: *pol, stores: [mem://d]}
`)
	require.NoError(t, err)
	require.Equal(t, []string{"mem://a", "mem://b"}, c.Targets[0].Stores)
	require.Equal(t, "development", c.Targets[2].Policy.Name)

	// An alias naming its own ancestor cannot make the walk loop: the
	// config's fixed shape bounds it.
	_, err = loadConfigString("targets: &t [*t]\n")
	require.EqualError(t, err, "t.yaml:1:14: targets[0]: must be a mapping, got a list")
}

// TestLoadConfigAliasBomb checks that aliases cannot multiply the work of
// a load: a short file naming one target with a long store list thousands
// of times is refused instead of walked.
func TestLoadConfigAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("targets:\n  - &t {user: U, token: T, policy: production, stores: [")
	for i := range 2000 {
		fmt.Fprintf(&b, "m://%d, ", i)
	}
	b.WriteString("m://last]}\n")
	for range 2000 {
		b.WriteString("  - *t\n")
	}
	_, err := loadConfigString(b.String())
	require.ErrorIs(t, err, policy.ErrInvalidConfig)
	require.ErrorContains(t, err, "t.yaml:2:")
	require.ErrorContains(t, err, ": too much aliasing: the aliases expand to far more than a config file needs")

	// Aliases used as a config would use them are fine.
	b.Reset()
	b.WriteString("policies:\n  p0: {preset: production, warnBefore: &w [30d, 20d, 14d, 10d, 7d, 5d, 3d, 2d, 1d, 12h]}\n")
	for i := 1; i < 500; i++ {
		fmt.Fprintf(&b, "  p%d: {preset: production, warnBefore: *w}\n", i)
	}
	b.WriteString("targets:\n")
	for i := range 500 {
		fmt.Fprintf(&b, "  - {user: U%d, token: T, policy: p%d, stores: [mem://%d]}\n", i, i, i)
	}
	c, err := loadConfigString(b.String())
	require.NoError(t, err)
	require.Len(t, c.Targets, 500)
	require.Len(t, c.Targets[499].Policy.WarnBefore, 10)
}

// TestLoadConfigErrors loads malformed files, each with one problem, and
// checks the whole message: file, line, column, field path and problem.
func TestLoadConfigErrors(t *testing.T) {
	// valid is a target with every required field, to vary from.
	const valid = "  - {user: U, token: T, policy: production, stores: [mem://u]}\n"
	for _, tc := range []struct {
		name string
		in   string
		want string
		is   error // a more specific sentinel the error also matches
	}{
		{name: "empty", in: "",
			want: "t.yaml:1:1: empty document: expected a mapping with targets"},
		{name: "only comments", in: "# nothing yet\n\n",
			want: "t.yaml:1:1: empty document: expected a mapping with targets"},
		{name: "null document", in: "---\n~\n",
			want: "t.yaml:2:1: empty document: expected a mapping with targets"},
		{name: "two documents", in: "targets:\n" + valid + "---\ntargets:\n" + valid,
			want: "t.yaml:3:1: a second YAML document: a config file holds exactly one"},
		{name: "broken second document", in: "targets:\n" + valid + "---\ntargets: [\n",
			want: "t.yaml:5: invalid YAML: did not find expected node content"},
		{name: "syntax", in: "targets:\n" + valid + "  - user: [U\n",
			want: "t.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{name: "syntax on line 1", in: "targets: x: y\n",
			want: "t.yaml:1: invalid YAML: mapping values are not allowed in this context"},
		{name: "tab indent", in: "targets:\n" + valid + "\t- user: U\n",
			want: "t.yaml:3: invalid YAML: found character that cannot start any token"},
		{name: "not UTF-8", in: "account: a\ntargets:\n  - user: U\xff\n",
			want: "t.yaml:3:12: not valid UTF-8 (byte 0xff)"},
		{name: "control character", in: "account: a\x07\n",
			want: "t.yaml:1:11: character U+0007 is not allowed in YAML"},
		{name: "unknown anchor", in: "targets:\n" + valid + "  - *nope\n",
			want: "t.yaml:3: invalid YAML: unknown anchor 'nope' referenced"},
		{name: "root is a list", in: "- targets\n",
			want: "t.yaml:1:1: the document must be a mapping, got a list"},
		{name: "root is text", in: "hello\n",
			want: "t.yaml:1:1: the document must be a mapping, got a string"},
		{name: "unknown top-level field", in: "target:\n" + valid,
			want: `t.yaml:1:1: target: unknown field (did you mean "targets"?)`},
		{name: "unknown field far from any", in: "targets:\n" + valid + "zzz: 1\n",
			want: `t.yaml:3:1: zzz: unknown field (known: account, policies, records, targets)`},
		{name: "unknown target field", in: "targets:\n  - {user: U, token: T, polcy: production, stores: [mem://u]}\n",
			want: `t.yaml:2:25: targets[0].polcy: unknown field (did you mean "policy"?)`},
		{name: "snake case field", in: "policies:\n  p: {preset: production, rotate_every: 30d}\ntargets:\n" + valid,
			want: `t.yaml:2:27: policies.p.rotate_every: unknown field (did you mean "rotateEvery"?)`},
		{name: "merge key", in: "policies:\n  base: &b {preset: production}\n  p: {<<: *b, grace: 2h}\ntargets:\n" + valid,
			want: `t.yaml:3:7: policies.p: merge keys (<<) are not supported; write the fields out, or share a policy by name`},
		{name: "duplicate field", in: "targets:\n  - user: U\n    token: T\n    user: V\n    policy: production\n    stores: [mem://u]\n",
			want: `t.yaml:4:5: targets[0].user: duplicate field (first at line 2)`},
		{name: "duplicate policy", in: "policies:\n  p: {preset: production}\n  p: {preset: development}\ntargets:\n" + valid,
			want: `t.yaml:3:3: policies.p: duplicate policy (first at line 2)`},
		{name: "policy name not a string", in: "policies:\n  1: {preset: production}\ntargets:\n" + valid,
			want: `t.yaml:2:3: policies: policy names must be strings, got an integer 1`},
		{name: "policies is a list", in: "policies: [prod]\ntargets:\n" + valid,
			want: `t.yaml:1:11: policies: must be a mapping, got a list`},
		{name: "policy is null", in: "policies:\n  p:\ntargets:\n" + valid,
			want: `t.yaml:2:5: policies.p: must be a mapping, got nothing (null)`},
		{name: "odd policy name in path", in: "policies:\n  my.prod: {preset: production, extra: 1}\ntargets:\n" + valid,
			want: `t.yaml:2:33: policies["my.prod"].extra: unknown field (known: consumerCacheTTL, grace, lifetimeDays, maxTokens, preset, replaceDisabled, roleRestriction, rotateBefore, rotateEvery, strategy, warnBefore)`},
		{name: "missing targets", in: "account: a\n",
			want: `t.yaml:1:1: targets: required`},
		{name: "empty targets", in: "targets: []\n",
			want: `t.yaml:1:10: targets: at least one target is required`},
		{name: "targets is a mapping", in: "targets:\n  user: U\n",
			want: `t.yaml:2:3: targets: must be a list, got a mapping`},
		{name: "target is a string", in: "targets:\n  - powerbi\n",
			want: `t.yaml:2:5: targets[0]: must be a mapping, got a string`},
		{name: "missing user", in: "targets:\n" + valid + "  - {token: T, policy: production, stores: [mem://v]}\n",
			want: `t.yaml:3:5: targets[1].user: required`},
		{name: "missing stores", in: "targets:\n  - user: U\n    token: T\n    policy: production\n",
			want: `t.yaml:2:5: targets[0].stores: required`},
		{name: "empty stores", in: "targets:\n  - {user: U, token: T, policy: production, stores: []}\n",
			want: `t.yaml:2:53: targets[0].stores: at least one store URL is required`},
		{name: "stores is a string", in: "targets:\n  - {user: U, token: T, policy: production, stores: mem://u}\n",
			want: `t.yaml:2:53: targets[0].stores: must be a list, got a string`},
		{name: "empty store", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u, '']}\n",
			want: `t.yaml:2:63: targets[0].stores[1]: must not be empty`},
		{name: "user is a number", in: "targets:\n  - {user: 123, token: T, policy: production, stores: [mem://u]}\n",
			want: `t.yaml:2:12: targets[0].user: must be a string, got an integer 123 (quote it to use it as text)`},
		{name: "null account", in: "account:\ntargets:\n" + valid,
			want: `t.yaml:1:9: account: must be a string, got nothing (null)`},
		{name: "empty name", in: "targets:\n  - {name: '', user: U, token: T, policy: production, stores: [mem://u]}\n",
			want: `t.yaml:2:12: targets[0].name: must not be empty`},
		{name: "custom tag", in: "targets:\n  - {user: !secret U, token: T, policy: production, stores: [mem://u]}\n",
			want: `t.yaml:2:12: targets[0].user: must be a string, got a value tagged !secret (quote it to use it as text)`},
		{name: "unknown policy", in: "policies:\n  prod: {preset: production}\ntargets:\n  - user: U\n    token: T\n    policy: prdo\n    stores: [mem://u]\n",
			want: `t.yaml:6:13: targets[0].policy: unknown policy "prdo" (known: development, prod, production)`},
		{name: "unknown preset", in: "policies:\n  p: {preset: prod}\ntargets:\n" + valid,
			want: `t.yaml:2:15: policies.p.preset: unknown preset "prod" (known: development, production)`},
		{name: "unknown strategy", in: "policies:\n  p: {preset: production, strategy: bluegreen}\ntargets:\n" + valid,
			want: `t.yaml:2:37: policies.p.strategy: unknown strategy "bluegreen" (known: blue-green, rotate)`},
		{name: "unknown format", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], format: yaml}\n",
			want: `t.yaml:2:72: targets[0].format: unknown format "yaml" (known: json, raw)`},
		{name: "bad duration", in: "policies:\n  p:\n    preset: production\n    rotateEvery: 1.5d\ntargets:\n" + valid,
			want: `t.yaml:4:18: policies.p.rotateEvery: invalid duration "1.5d": a d suffix takes whole days (90d); write fractions in hours (36h)`},
		{name: "lifetime as text", in: "policies:\n  p: {preset: production, lifetimeDays: '100'}\ntargets:\n" + valid,
			want: `t.yaml:2:41: policies.p.lifetimeDays: must be an integer, got a string`},
		{name: "lifetime overflows", in: "policies:\n  p: {preset: production, lifetimeDays: 99999999999999999999}\ntargets:\n" + valid,
			want: `t.yaml:2:41: policies.p.lifetimeDays: must be an integer, got a number 99999999999999999999`},
		{name: "integer forced by a tag", in: "policies:\n  p: {preset: production, lifetimeDays: !!int ten}\ntargets:\n" + valid,
			want: `t.yaml:2:41: policies.p.lifetimeDays: invalid integer "ten"`},
		{name: "boolean forced by a tag", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], compromised: !!bool maybe}\n",
			want: `t.yaml:2:77: targets[0].compromised: invalid boolean "maybe"`},
		{name: "empty key", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], '': x}\n",
			want: `t.yaml:2:64: targets[0]: field name must not be empty`},
		{name: "long value truncated", in: "targets:\n  - {user: U, token: T, stores: [mem://u], policy: " + strings.Repeat("x", 100) + "}\n",
			want: `t.yaml:2:52: targets[0].policy: unknown policy "` + strings.Repeat("x", 64) + `…" (known: development, production)`},
		{name: "maxTokens fraction", in: "policies:\n  p: {preset: production, maxTokens: 1.5}\ntargets:\n" + valid,
			want: `t.yaml:2:38: policies.p.maxTokens: must be an integer, got a number 1.5`},
		{name: "compromised yes", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], compromised: yes}\n",
			want: `t.yaml:2:77: targets[0].compromised: must be a boolean (true or false), got a string`},
		{name: "incident without an identity", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], compromised: true}\n",
			want: `t.yaml:2:5: targets[0]: policy: invalid target: U/T: compromised: an incident must be identified: set compromisedAt (when the secret leaked) or incident (an id), so that it is acted on exactly once`,
			is:   policy.ErrInvalidTarget},
		{name: "incident id with a space", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], compromised: true, incident: INC 7}\n",
			want: `t.yaml:2:5: targets[0]: policy: invalid target: U/T: incident: must be 1 to 64 letters, digits or ._:- characters`,
			is:   policy.ErrInvalidTarget},
		{name: "compromisedAt date only", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], compromisedAt: 2026-11-20}\n",
			want: `t.yaml:2:79: targets[0].compromisedAt: invalid time "2026-11-20": must be RFC 3339 with a zone, such as 2026-11-20T10:00:00Z`},
		{name: "policy fails Validate", in: "policies:\n  p:\n    preset: production\n    grace: 30d\ntargets:\n  - {user: U, token: T, policy: p, stores: [mem://u]}\n",
			want: `t.yaml:2:3: policies.p: policy: invalid policy: grace: 720h0m0s is longer than rotateBefore 7d: Snowflake refuses a grace beyond the old token's remaining life`,
			is:   policy.ErrInvalidPolicy},
		{name: "policy without preset misses fields", in: "policies:\n  p: {rotateEvery: 30d}\ntargets:\n  - {user: U, token: T, policy: p, stores: [mem://u]}\n",
			want: `t.yaml:2:3: policies.p: policy: invalid policy: lifetimeDays: must be 1 to 365, got 0`,
			is:   policy.ErrInvalidPolicy},
		{name: "target fails Validate", in: "targets:\n" + valid + "  - {user: U, token: pat, policy: production, stores: [mem://v]}\n",
			want: `t.yaml:3:5: targets[1]: policy: invalid target: U/pat: token: "pat" is not as Snowflake stores it; use "PAT"`,
			is:   policy.ErrInvalidTarget},
		{name: "repeated store", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u, mem://u]}\n",
			want: `t.yaml:2:5: targets[0]: policy: invalid target: U/T: stores: empty or repeated store URL`,
			is:   policy.ErrInvalidTarget},
		{name: "duplicate names", in: "targets:\n  - {name: bi, user: U, token: T, policy: production, stores: [mem://u]}\n  - {name: bi, user: V, token: T, policy: production, stores: [mem://v]}\n",
			want: `t.yaml:3:12: targets[1].name: duplicate target "bi", first used by targets[0] (line 2)`},
		{name: "duplicate implicit IDs", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u]}\n  - {account: other, user: U, token: T, policy: production, stores: [mem://v]}\n",
			want: `t.yaml:3:5: targets[1]: duplicate target "U/T", first used by targets[0] (line 2)`},
		{name: "same token twice", in: "targets:\n  - {name: a, user: U, token: T, policy: production, stores: [mem://u]}\n  - {name: b, user: U, token: T, policy: development, stores: [mem://v]}\n",
			want: `t.yaml:3:5: targets[1]: same account, user and token as targets[0] (line 2): two targets would rotate one token`},
		{name: "shared store", in: "targets:\n  - {user: U, token: T, policy: production, stores: [mem://u]}\n  - {user: V, token: T, policy: production, stores: [mem://v, mem://u]}\n",
			want: `t.yaml:3:5: targets[1].stores: store "mem://u" is also used by targets[0] (line 2): the targets would overwrite each other's secret`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfigString(tc.in)
			require.Nil(t, c)
			require.ErrorIs(t, err, policy.ErrInvalidConfig)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is)
			}
			require.EqualError(t, err, tc.want)
			var ce *policy.ConfigError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, "t.yaml", ce.File)
			require.Positive(t, ce.Line)
		})
	}
}

// TestLoadConfigManyErrors checks that one load reports every problem, in
// file order, each as its own ConfigError, and stops at ten.
func TestLoadConfigManyErrors(t *testing.T) {
	_, err := loadConfigString(`targets:
  - {user: U, token: T, policy: nope, stores: [mem://u]}
  - {user: 1, token: T, policy: production, stores: [mem://v]}
policies:
  p: {preset: production, grace: 1x}
`)
	require.ErrorIs(t, err, policy.ErrInvalidConfig)
	require.EqualError(t, err, `t.yaml:2:33: targets[0].policy: unknown policy "nope" (known: development, p, production)
t.yaml:3:12: targets[1].user: must be a string, got an integer 1 (quote it to use it as text)
t.yaml:5:34: policies.p.grace: invalid duration "1x": use Go syntax (36h, 90m) or whole days (90d)`)

	// A target using a policy whose definition failed is not reported
	// again as using an unknown policy.
	_, err = loadConfigString(`policies:
  p: {preset: production, grace: 1x}
targets:
  - {user: U, token: T, policy: p, stores: [mem://u]}
`)
	require.EqualError(t, err, `t.yaml:2:34: policies.p.grace: invalid duration "1x": use Go syntax (36h, 90m) or whole days (90d)`)

	var b strings.Builder
	b.WriteString("targets:\n")
	for range 15 {
		b.WriteString("  - {user: U, token: T, policy: nope, stores: [mem://u]}\n")
	}
	_, err = loadConfigString(b.String())
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 11)
	require.Equal(t, "t.yaml: too many errors (5 more)", lines[10])
	for _, l := range lines {
		require.True(t, strings.HasPrefix(l, "t.yaml:"), l)
	}
}

func TestLoadConfigReader(t *testing.T) {
	// Errors name the source even when the caller gives no name.
	_, err := policy.LoadConfig(strings.NewReader(""), "")
	require.EqualError(t, err, "config:1:1: empty document: expected a mapping with targets")

	// A failing reader is an I/O error, not a config error.
	boom := errors.New("boom")
	_, err = policy.LoadConfig(io.MultiReader(strings.NewReader("targets:\n"), configErrReader{boom}), "t.yaml")
	require.ErrorIs(t, err, boom)
	require.NotErrorIs(t, err, policy.ErrInvalidConfig)

	// Reading stops at the size limit rather than at the end of the input.
	_, err = policy.LoadConfig(io.MultiReader(strings.NewReader("# "), configEndless{}), "t.yaml")
	require.ErrorIs(t, err, policy.ErrInvalidConfig)
	require.EqualError(t, err, "t.yaml: larger than 4 MiB; is this the config file?")
}

type configErrReader struct{ err error }

func (r configErrReader) Read([]byte) (int, error) { return 0, r.err }

// configEndless is an input that never ends, like /dev/zero.
type configEndless struct{}

func (configEndless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestConfigValidate(t *testing.T) {
	target := func(name, user, token string, stores ...string) policy.Target {
		return policy.Target{Name: name, Account: "acct", User: user, Token: token, Policy: configPreset(t, "production", "production"), Stores: stores}
	}
	for _, tc := range []struct {
		name    string
		targets []policy.Target
		want    string // "" for valid
		is      error
	}{
		{name: "valid", targets: []policy.Target{target("", "A", "T", "mem://a"), target("", "B", "T", "mem://b")}},
		{name: "no targets", want: "policy: invalid config: targets: at least one target is required"},
		{name: "invalid target",
			targets: []policy.Target{target("", "A", "T", "mem://a"), target("", "B", "T")},
			want:    "policy: invalid config: targets[1]: policy: invalid target: B/T: stores: at least one store URL is required",
			is:      policy.ErrInvalidTarget},
		{name: "invalid policy",
			targets: []policy.Target{{User: "A", Token: "T", Stores: []string{"mem://a"}}},
			want:    "policy: invalid config: targets[0]: policy: invalid target: A/T: policy: invalid policy: rotateEvery: must be positive",
			is:      policy.ErrInvalidPolicy},
		{name: "duplicate IDs",
			targets: []policy.Target{target("x", "A", "T", "mem://a"), target("y", "B", "T", "mem://b"), target("x", "C", "T", "mem://c")},
			want:    `policy: invalid config: targets[2].name: duplicate target "x", first used by targets[0]`},
		{name: "same token",
			targets: []policy.Target{target("x", "A", "T", "mem://a"), target("y", "A", "T", "mem://b")},
			want:    `policy: invalid config: targets[1]: same account, user and token as targets[0]: two targets would rotate one token`},
		{name: "shared store",
			targets: []policy.Target{target("", "A", "T", "mem://a"), target("", "B", "T", "mem://b", "mem://a")},
			want:    `policy: invalid config: targets[1].stores: store "mem://a" is also used by targets[0]: the targets would overwrite each other's secret`},
		{name: "every problem",
			targets: []policy.Target{target("", "A", "T", "mem://a"), target("", "A", "T", "mem://a")},
			want: `policy: invalid config: targets[1]: duplicate target "A/T", first used by targets[0]
policy: invalid config: targets[1]: same account, user and token as targets[0]: two targets would rotate one token
policy: invalid config: targets[1].stores: store "mem://a" is also used by targets[0]: the targets would overwrite each other's secret`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := (&policy.Config{Targets: tc.targets}).Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, policy.ErrInvalidConfig)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is)
			}
			require.EqualError(t, err, tc.want)
		})
	}
	require.ErrorIs(t, (*policy.Config)(nil).Validate(), policy.ErrInvalidConfig)
}

// Config.Validate's errors are the same type as LoadConfig's, so one
// errors.As serves both. (Issue 16.4.)
func TestConfigValidateErrorsAreConfigErrors(t *testing.T) {
	c := &policy.Config{Targets: []policy.Target{{User: "U", Token: "T", Policy: policy.Production(), Stores: []string{"mem://a"}}}}
	c.Targets = append(c.Targets, c.Targets[0])
	err := c.Validate()
	var ce *policy.ConfigError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "targets[1]", ce.Field)
	require.ErrorIs(t, err, policy.ErrInvalidConfig)
	require.ErrorAs(t, (&policy.Config{}).Validate(), &ce)
}
