package badinput

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"go.uber.org/goleak"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/awssm"
	_ "github.com/snowpat/snowpat/secrets/filestore"
	_ "github.com/snowpat/snowpat/secrets/gcpsm"
	_ "github.com/snowpat/snowpat/secrets/memstore"
)

func TestMain(m *testing.M) {
	_ = gosnowflake.GetLogger().SetLogLevel("fatal")
	goleak.VerifyTestMain(m)
}

type badCase struct {
	name string
	// run feeds the input and returns the error.
	run func(ctx context.Context, c *pat.Client) error
	// want is the sentinel the error must match.
	want error
	// sends says the input reaches Snowflake (a malformed answer); every
	// other case must be refused before anything is sent.
	sends bool
}

func str(s string) *string { return &s }

func cases(srv *pattest.Server) []badCase {
	var out []badCase
	add := func(name string, want error, run func(context.Context, *pat.Client) error) {
		out = append(out, badCase{name: name, run: run, want: want})
	}

	// Names.
	for _, tok := range []string{"", "has space", "1starts_with_digit", "dash-ed", "semi;colon", `quote"d`, "tok\x00en", "naïve", strings.Repeat("X", 256), "\xff\xfe"} {
		add("token name "+strings.ToValidUTF8(tok, "?"), pat.ErrInvalidArgument, func(ctx context.Context, c *pat.Client) error {
			_, err := c.Add(ctx, "SVC", tok, pat.AddOptions{})
			return err
		})
	}
	for _, user := range []string{"", "nul\x00byte", "\xffbad-utf8", strings.Repeat("U", 300), "tab\there"} {
		add("user name "+strings.ToValidUTF8(user, "?"), pat.ErrInvalidArgument, func(ctx context.Context, c *pat.Client) error {
			_, err := c.List(ctx, user)
			return err
		})
	}
	// Numbers.
	for _, o := range []pat.AddOptions{{DaysToExpiry: -1}, {DaysToExpiry: 366}, {DaysToExpiry: 100000}, {MinsToBypassNetworkPolicy: -5},
		{MinsToBypassNetworkPolicy: 1441}, {RoleRestrictionRequired: true}} {
		add("add options", pat.ErrInvalidArgument, func(ctx context.Context, c *pat.Client) error {
			_, err := c.Add(ctx, "SVC", "T", o)
			return err
		})
	}
	for _, o := range []pat.RotateOptions{{GraceHours: -1}, {GraceHours: 5, ExpireImmediately: true}, {GraceHours: 100000}} {
		add("rotate options", pat.ErrInvalidArgument, func(ctx context.Context, c *pat.Client) error {
			_, err := c.Rotate(ctx, "SVC", "T", o)
			return err
		})
	}
	for _, m := range []int{-1, 1441, 100000} {
		add("bypass minutes", pat.ErrInvalidArgument, func(ctx context.Context, c *pat.Client) error {
			return c.SetNetworkPolicyBypass(ctx, "SVC", "T", m)
		})
	}
	// YAML.
	for _, y := range []string{
		"",
		"targets: []",
		"account: a\ntargets:\n  - user: U\n    token: T\n    policy: production\n    stores: [mem://x]\n    colour: blue\n",
		"targets:\n  - user: U\n    token: T\n    policy: nope\n    stores: [mem://x]\n",
		"policies:\n  p:\n    rotateEvery: 90x\ntargets:\n  - user: U\n    token: T\n    policy: p\n    stores: [mem://x]\n",
		"policies:\n  p:\n    preset: production\n    lifetimeDays: 20\ntargets:\n  - user: U\n    token: T\n    policy: p\n    stores: [mem://x]\n",
		"targets:\n  - user: U\n    token: T\n    policy: production\n",
		"targets:\n  - user: U\n    token: t\n    policy: production\n    stores: [mem://x]\n",
		"targets:\n  - user: U\n    token: T\n    policy: production\n    stores: [mem://x]\n    format: xml\n",
		"targets:\n  - user: U\n    token: T\n    policy: production\n    stores: [mem://x]\n    compromisedAt: yesterday\n",
		"targets:\n  - {user: U, token: T, policy: production, stores: [mem://x]}\n  - {user: U, token: T, policy: production, stores: [mem://y]}\n",
		"targets: [\n",
		"--- \ntargets: []\n---\ntargets: []\n",
	} {
		add("yaml", policy.ErrInvalidConfig, func(context.Context, *pat.Client) error {
			_, err := policy.LoadConfig(strings.NewReader(y), "bad.yaml")
			return err
		})
	}
	// Stored values.
	for _, v := range []string{`{"patTokenValue": 42}`, `{`, `{"patTokenValue": ""}`, `{"patTokenValue": "x", "expiresAt": "yesterday"}`,
		`{"patTokenValue": "x", "patTokenValue": "y"}`, "ab cd", "", "tok\x01en", `{"PATTOKENVALUE": "x"}`, `[1,2,3]`} {
		add("stored value", pat.ErrMalformedStored, func(context.Context, *pat.Client) error {
			_, err := pat.DecodeStored([]byte(v))
			return err
		})
	}
	// Store URLs.
	for _, u := range []string{"", "nope://x", "file://relative/path", "file:///tmp/x?mode=fast", "file:///tmp/x#frag", "mem://",
		"awssm://name?region=eu-west-1&colour=blue", "gcpsm://projects/p", "gcpsm://projects/p/secrets/s?x=1", "http://[::1", "::not a url"} {
		add("store URL "+u, secrets.ErrInvalidArgument, func(ctx context.Context, _ *pat.Client) error {
			s, err := secrets.OpenStore(ctx, u)
			if err == nil {
				_ = s.Close()
			}
			return err
		})
	}
	// SHOW rows Snowflake could send but the emulator never would.
	show := func(name string, cols, types []string, row []*string) {
		out = append(out, badCase{name: name, want: pat.ErrMalformedResult, sends: true, run: func(ctx context.Context, c *pat.Client) error {
			srv.Inject(pattest.Fault{Match: "SHOW USER", Rows: &pattest.Rows{Columns: cols, Types: types, Values: [][]*string{row}}})
			_, err := c.List(ctx, "SVC")
			return err
		}})
	}
	show("SHOW without a name column", []string{"token", "status"}, nil, []*string{str("T"), str("ACTIVE")})
	show("SHOW with an unparsable expiry", []string{"name", "expires_at"}, nil, []*string{str("T"), str("next tuesday")})
	show("SHOW with unparsable bypass minutes", []string{"name", "mins_to_bypass_network_policy_requirement"}, nil, []*string{str("T"), str("lots")})
	show("SHOW with a NULL name", []string{"name", "status"}, nil, []*string{nil, str("ACTIVE")})
	show("SHOW with a garbage timestamp cell", []string{"name", "created_on"}, []string{"text", "text"}, []*string{str("T"), str("17:99")})
	return out
}

func TestBadInput(t *testing.T) {
	srv := pattest.Start(t)
	db := srv.Admin()
	if _, err := db.Exec("CREATE USER svc PASSWORD = 'pw'"); err != nil {
		t.Fatal(err)
	}
	c := pat.NewClient(db)
	ctx := context.Background()
	all := cases(srv)
	if len(all) < 50 {
		t.Fatalf("only %d bad inputs", len(all))
	}
	for _, bc := range all {
		t.Run(bc.name, func(t *testing.T) {
			before := srv.Counts().Query
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				err = bc.run(ctx, c)
			}()
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, bc.want) {
				t.Fatalf("error %q does not match %v", err, bc.want)
			}
			sent := srv.Counts().Query - before
			if !bc.sends && sent != 0 {
				t.Fatalf("%d statements were sent for an input refused up front", sent)
			}
		})
	}
	// Nothing was written: the user has no token.
	toks, err := c.List(ctx, "SVC")
	if err != nil || len(toks) != 0 {
		t.Fatalf("tokens after the bad inputs: %v %v", toks, err)
	}
	t.Logf("%d bad inputs, each a typed error", len(all))
}
