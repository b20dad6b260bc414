package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/internal/biworld"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/filestore" // registers file://
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

const (
	user      = "POWERBI_SERVICE"
	role      = "BI_READER_ROLE"
	warehouse = "BI_WAREHOUSE"
	token     = "POWERBI"
)

func run(ctx context.Context, out io.Writer) error {
	_ = gosnowflake.GetLogger().SetLogLevel("fatal") // the diagnoses below fail logins on purpose
	p := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(9 * time.Hour)
	clock := testingclock.NewFakeClock(start)
	srv := pattest.NewServer(pattest.WithClock(clock))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "snowpat-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// The administrator (the rotator) logs in with a key pair: a session
	// that logged in with a PAT may not manage PATs.
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer admin.Close()
	client := pat.NewClient(admin)

	p("snowpat quickstart — an emulated Snowflake account %s at %s, secrets under %s", srv.Account(), srv.URL(), dir)
	p("")
	p("Step 1: a dedicated TYPE=SERVICE user")
	for _, stmt := range []string{
		"CREATE NETWORK POLICY bi_gateways ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE " + role,
	} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			return err
		}
		p("  %s", stmt)
	}
	if err := client.CreateServiceUser(ctx, pat.ServiceUser{
		Name: user, DefaultRole: role, DefaultWarehouse: warehouse,
		Comment: "Service account for Power BI scheduled refreshes", NetworkPolicy: "BI_GATEWAYS",
	}); err != nil {
		return err
	}
	p("  created %s (TYPE = SERVICE, DEFAULT_ROLE = %s, DEFAULT_WAREHOUSE = %s, NETWORK_POLICY = BI_GATEWAYS)", user, role, warehouse)
	if err := client.GrantRole(ctx, role, user); err != nil {
		return err
	}
	p("  granted %s to %s", role, user)

	p("")
	p("Step 2: a role-restricted token, stored in a secret store (never printed)")
	storeURL := "file://" + dir + "/powerbi"
	pol := policy.Production()
	pol.RoleRestriction = role
	// The BI tools themselves, in-process fakes: a Tableau published data
	// source and workbook, and two Power BI models, one on a cloud
	// connection and one behind an on-premises gateway, whose scheduled
	// refreshes log in to Snowflake as the service user.
	base := *srv.Config("", pattest.PAT(""))
	tools := biworld.New(srv.Account(), func(ctx context.Context, u, password string) error {
		return pat.Verify(ctx, base, u, pat.NewSecret(password))
	}, biworld.Instant(clock.Now))
	defer tools.Close()
	target := policy.Target{Name: "powerbi", Account: srv.Account(), User: user, Token: token, Policy: pol,
		Stores: []string{storeURL}, Push: tools.URLs}
	var rotations []string
	var mu sync.Mutex
	engine, err := policy.New(policy.Options{
		Admin:           client,
		Verify:          pat.Verifier(base),
		Clock:           clock,
		OpenDestination: tools.Open,
		Observer: policy.ObserverFunc(func(_ context.Context, ev policy.Event) {
			if ev.Kind == policy.EventRotated {
				mu.Lock()
				rotations = append(rotations, ev.Time.Format("2006-01-02"))
				mu.Unlock()
			}
		}),
	})
	if err != nil {
		return err
	}
	defer engine.Close()
	if _, err := engine.Apply(ctx, target); err != nil {
		return err
	}
	store, err := secrets.OpenStore(ctx, storeURL)
	if err != nil {
		return err
	}
	defer store.Close()
	stored, err := currentToken(ctx, store)
	if err != nil {
		return err
	}
	p("  ALTER USER %s ADD PROGRAMMATIC ACCESS TOKEN %s ROLE_RESTRICTION = '%s' DAYS_TO_EXPIRY = %d", user, token, role, pol.LifetimeDays)
	p("  stored in %s as %v (AWS SnowflakePat JSON: account, user, patTokenName, patTokenValue)", storeURL, stored.Token)
	p("  verified: logged in as %s with it before promoting it", user)
	p("  pushed into a Tableau data source and workbook, and two Power BI models (one behind the corp-gw gateway)")

	p("")
	p("Step 3: configure the BI tools (the token is the password)")
	host, port := srv.HostPort()
	server := fmt.Sprintf("%s:%d (for a real account: <account>.snowflakecomputing.com)", host, port)
	p("  Power BI   Get Data → Snowflake; Server: %s; Warehouse: %s; Database authentication;", server, warehouse)
	p("             Username: %s; Password: patTokenValue from %s", user, storeURL)
	p("  Tableau    Connect → Snowflake; Server: %s; Role: %s; Warehouse: %s;", server, role, warehouse)
	p("             Username and Password; Username: %s; Password: the token", user)
	p("  or let snowpat do it: push: [tableau://<server>/<site>/datasources/<name>, powerbi://groups/<ws>/datasets/<id>]")
	p("             re-embeds every rotated token in Tableau and Power BI Service (gateway credentials encrypted)")
	p("  Excel      ODBC Data Source Administrator → Snowflake DSN → Configure; User: %s; Password: the token; Test", user)
	p("  Services   Go code uses patconn: every new connection logs in with the current token")

	p("")
	p("Token management: status")
	if err := printTokens(ctx, client, clock.Now(), p); err != nil {
		return err
	}

	p("")
	p("A simulated year: the policy engine runs daily while a consumer keeps querying")
	conn, err := patconn.NewConnector(*srv.Config(user, pattest.PAT("")), store, patconn.Options{Clock: clock, TTL: time.Hour})
	if err != nil {
		return err
	}
	consumer := sql.OpenDB(conn)
	defer consumer.Close()
	consumer.SetMaxIdleConns(1)
	queries, failed, stop := runConsumer(ctx, consumer)
	runner := &policy.Runner{Engine: engine, Targets: []policy.Target{target}}
	refreshes, failedRefreshes := 0, 0
	for day := 1; day <= 365; day++ {
		clock.Step(24 * time.Hour)
		if _, errs := runner.RunOnce(ctx); len(errs) > 0 {
			stop()
			return fmt.Errorf("day %d: %v", day, errs)
		}
		waitQueries(queries, int64(day)*3)
		refreshes++
		if tools.Refresh(ctx) != nil {
			failedRefreshes++
		}
	}
	stop()
	for i, r := range rotations {
		p("  rotation %d on %s", i+1, r)
	}
	stored, err = currentToken(ctx, store)
	if err != nil {
		return err
	}
	p("  current token expires %s", stored.ExpiresAt.Format("2006-01-02"))
	p("  %d queries, %d failed queries", queries.Load(), failed.Load())
	p("  the Tableau and Power BI dashboards refreshed daily: %d refreshes, %d failed refreshes", refreshes, failedRefreshes)
	if failed.Load() != 0 || failedRefreshes != 0 {
		return errors.New("queries or refreshes failed during rotation")
	}
	if err := printTokens(ctx, client, clock.Now(), p); err != nil {
		return err
	}

	p("")
	p("Troubleshooting: three broken tokens diagnosed")
	res, err := client.Add(ctx, user, "SHORT_LIVED", pat.AddOptions{RoleRestriction: role, DaysToExpiry: 1, RoleRestrictionRequired: true})
	if err != nil {
		return err
	}
	clock.Step(25 * time.Hour)
	if err := diagnose(ctx, p, client, base, "expired", res.Secret); err != nil {
		return err
	}
	if err := diagnose(ctx, p, client, base, "pasted with a trailing newline", pat.NewSecret(stored.Token.Reveal()+"\n")); err != nil {
		return err
	}
	res, err = client.Add(ctx, user, "REVOKED_ONE", pat.AddOptions{RoleRestriction: role, RoleRestrictionRequired: true})
	if err != nil {
		return err
	}
	if err := client.Remove(ctx, user, "REVOKED_ONE"); err != nil {
		return err
	}
	return diagnose(ctx, p, client, base, "revoked", res.Secret)
}

func currentToken(ctx context.Context, store *secrets.Store) (pat.StoredToken, error) {
	v, err := store.Current(ctx)
	if err != nil {
		return pat.StoredToken{}, err
	}
	return pat.DecodeStored(v.Value())
}

func printTokens(ctx context.Context, client *pat.Client, now time.Time, p func(string, ...any)) error {
	toks, err := client.List(ctx, user)
	if err != nil {
		return err
	}
	for _, t := range toks {
		p("  %-34s %-8s role %-15s expires %s (in %d days)", t.Name, t.Status, t.RoleRestriction,
			t.ExpiresAt.UTC().Format("2006-01-02"), int(t.ExpiresIn(now).Hours()/24))
	}
	return nil
}

func diagnose(ctx context.Context, p func(string, ...any), client *pat.Client, base gosnowflake.Config, what string, secret pat.Secret) error {
	d, err := pat.Diagnose(ctx, client, base, user, secret)
	if err != nil {
		return err
	}
	p("  %-31s → %s: %s", what, d.Cause, strings.TrimSpace(d.Hint))
	return nil
}

// runConsumer queries through db until stopped, counting successes and
// failures; half the queries force a new login.
func runConsumer(ctx context.Context, db *sql.DB) (queries, failed *atomic.Int64, stop func()) {
	queries, failed = &atomic.Int64{}, &atomic.Int64{}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			var one int
			if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
				if ctx.Err() == nil {
					failed.Add(1)
				}
				continue
			}
			queries.Add(1)
		}
	}()
	return queries, failed, func() { cancel(); wg.Wait() }
}

// waitQueries lets the consumer run a few queries each simulated day.
func waitQueries(queries *atomic.Int64, atLeast int64) {
	for queries.Load() < atLeast {
		runtimeYield()
	}
}
