package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/internal/cli"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/awssm"
	_ "github.com/snowpat/snowpat/secrets/azkv"
	_ "github.com/snowpat/snowpat/secrets/filestore"
	_ "github.com/snowpat/snowpat/secrets/gcpsm"
	_ "github.com/snowpat/snowpat/secrets/vault"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var admin cli.Admin
	admin.Register(fs)
	user := fs.String("user", "", "the token's Snowflake user")
	from := fs.String("from", "", "secret store URL holding the token (default: read it from standard input)")
	emulate := fs.Bool("pattest", false, "run against an embedded emulator (demonstration and smoke test)")
	breakAs := fs.String("break", "none", "with --pattest: none, expired, newline, revoked, wrong-user or garbage")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	_ = gosnowflake.GetLogger().SetLogLevel("fatal")
	fail := func(err error) int { fmt.Fprintln(stderr, "diagnose:", err); return 2 }

	var (
		adminCfg, base gosnowflake.Config
		secret         pat.Secret
	)
	if *emulate {
		srv, a, b, u, s, err := emulator(ctx, *breakAs)
		if err != nil {
			return fail(err)
		}
		defer srv.Close()
		adminCfg, base, *user, secret = a, b, u, s
	} else {
		if *user == "" {
			return fail(errors.New("--user is required"))
		}
		var err error
		if adminCfg, err = admin.Config(); err != nil {
			return fail(err)
		}
		base = admin.Base()
		if secret, err = readSecret(ctx, *from, stdin); err != nil {
			return fail(err)
		}
	}
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, adminCfg))
	defer db.Close()
	d, err := pat.Diagnose(ctx, pat.NewClient(db), base, *user, secret)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "%s\n", d.Cause)
	fmt.Fprintf(stdout, "%s\n", d.Hint)
	if d.Cause != pat.CauseNone {
		return 1
	}
	return 0
}

// readSecret takes the token from a store, or from stdin exactly as
// pasted: surrounding whitespace is what the diagnosis looks for, so it is
// not trimmed here.
func readSecret(ctx context.Context, url string, stdin io.Reader) (pat.Secret, error) {
	if url == "" {
		b, err := io.ReadAll(io.LimitReader(stdin, 64<<10))
		if err != nil {
			return pat.Secret{}, err
		}
		if len(b) == 0 {
			return pat.Secret{}, errors.New("no token on standard input")
		}
		return pat.NewSecret(string(b)), nil
	}
	s, err := secrets.OpenStore(ctx, url)
	if err != nil {
		return pat.Secret{}, err
	}
	defer s.Close()
	v, err := s.Current(ctx)
	if err != nil {
		return pat.Secret{}, err
	}
	st, err := pat.DecodeStored(v.Value())
	if err != nil {
		return pat.Secret{}, err
	}
	return st.Token, nil
}

// emulator sets up a service user with a token on an embedded emulator
// and breaks the token as asked.
func emulator(ctx context.Context, how string) (*pattest.Server, gosnowflake.Config, gosnowflake.Config, string, pat.Secret, error) {
	srv := pattest.NewServer()
	fail := func(err error) (*pattest.Server, gosnowflake.Config, gosnowflake.Config, string, pat.Secret, error) {
		srv.Close()
		return nil, gosnowflake.Config{}, gosnowflake.Config{}, "", pat.Secret{}, err
	}
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer db.Close()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE bi_reader",
		"CREATE USER powerbi_service TYPE = SERVICE NETWORK_POLICY = bi",
		"CREATE USER tableau_service TYPE = SERVICE NETWORK_POLICY = bi",
		"GRANT ROLE bi_reader TO USER powerbi_service",
		"GRANT ROLE bi_reader TO USER tableau_service",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fail(err)
		}
	}
	client := pat.NewClient(db)
	add := func(user string) (pat.Secret, error) {
		res, err := client.Add(ctx, user, "BI", pat.AddOptions{RoleRestriction: "BI_READER", DaysToExpiry: 1, RoleRestrictionRequired: true})
		return res.Secret, err
	}
	secret, err := add("POWERBI_SERVICE")
	if err != nil {
		return fail(err)
	}
	switch how {
	case "none":
	case "expired":
		srv.FakeClock().Step(25 * time.Hour)
	case "newline":
		secret = pat.NewSecret(secret.Reveal() + "\n")
	case "revoked":
		err = client.Remove(ctx, "POWERBI_SERVICE", "BI")
	case "wrong-user":
		secret, err = add("TABLEAU_SERVICE")
	case "garbage":
		secret = pat.NewSecret("not-a-token")
	default:
		err = fmt.Errorf("unknown --break %q", how)
	}
	if err != nil {
		return fail(err)
	}
	return srv, *srv.AdminConfig(), *srv.Config("", pattest.PAT("")), "POWERBI_SERVICE", secret, nil
}
