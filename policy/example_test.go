package policy_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/internal/cli"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	_ "github.com/snowpat/snowpat/secrets/memstore" // registers mem://
)

// Evaluate is a pure function: the plan for a token 95 days old under the
// production preset.
func ExampleEvaluate() {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	target := policy.Target{User: "POWERBI_SERVICE", Token: "POWERBI", Policy: policy.Production, Stores: []string{"mem://powerbi"}}
	observed := policy.Observed{
		User: &pat.UserInfo{Name: "POWERBI_SERVICE", Type: "SERVICE", NetworkPolicy: "BI"},
		Tokens: []pat.Token{{Name: "POWERBI", Status: pat.StatusActive, RoleRestriction: "BI_READER",
			CreatedOn: now.Add(-95 * policy.Day), ExpiresAt: now.Add(5 * policy.Day)}},
		Stores: []policy.StoreState{{URL: "mem://powerbi", Current: &policy.StoredVersion{ID: "1",
			Token:     pat.StoredToken{Token: pat.NewSecret("x")},
			Snowflake: &pat.DecodedToken{State: "ACTIVE", TokenName: "POWERBI", UserName: "POWERBI_SERVICE"}}}},
	}
	d := policy.Evaluate(now, target, observed)
	fmt.Println(d.Action)
	fmt.Println(d.Reason)
	// Output:
	// rotate
	// rotation interval (90d) reached: created 2026-02-26 00:00 UTC
}

// A policy that would let a token expire before its rotation is refused.
func ExamplePolicy_Validate() {
	p := policy.Production
	p.LifetimeDays = 95 // 90-day interval + 7-day lead do not fit
	fmt.Println(p.Validate())
	// Output:
	// policy: invalid policy: lifetimeDays: 95 days does not exceed rotateEvery (90d) plus rotateBefore (7d): a token could expire before its rotation
}

// The engine against the emulator: create the token, then rotate it when
// the interval comes due, printing each step.
func ExampleEngine_Apply() {
	clock := pattest.NewManualClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	srv := pattest.NewServer(pattest.WithClock(clock))
	defer srv.Close()
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer db.Close()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE bi_reader",
		"CREATE USER powerbi_service TYPE = SERVICE NETWORK_POLICY = bi",
		"GRANT ROLE bi_reader TO USER powerbi_service",
	} {
		if _, err := db.Exec(stmt); err != nil {
			panic(err)
		}
	}
	p := policy.Production
	p.RoleRestriction = "BI_READER"
	target := policy.Target{Account: srv.Account(), User: "POWERBI_SERVICE", Token: "POWERBI", Policy: p,
		Stores: []string{"mem://example/powerbi"}}
	engine, err := policy.New(policy.Options{
		Admin:  pat.NewClient(db),
		Verify: pat.Verifier(*srv.Config("", pattest.PAT(""))),
		Clock:  clock,
		Observer: policy.ObserverFunc(func(_ context.Context, ev policy.Event) {
			if ev.Kind != policy.EventPlanned {
				fmt.Println(strings.TrimSpace(string(ev.Kind) + " " + ev.Store))
			}
		}),
	})
	if err != nil {
		panic(err)
	}
	defer engine.Close()

	ctx := context.Background()
	if _, err := engine.Apply(ctx, target); err != nil {
		panic(err)
	}
	clock.Advance(90 * policy.Day)
	if _, err := engine.Apply(ctx, target); err != nil {
		panic(err)
	}
	// Output:
	// created
	// stored mem://example/powerbi
	// verified
	// promoted mem://example/powerbi
	// rotated
	// stored mem://example/powerbi
	// verified
	// promoted mem://example/powerbi
}

// Embedding the rotator in a service: an administrator connection that
// logs in with a key pair, the targets from YAML, and the run loop until
// the service stops. (It needs a real account, so it only compiles here.)
func Example_embed() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	key, _ := cli.LoadPrivateKey("/etc/snowpat/rotator.p8")
	cfg := gosnowflake.Config{Account: "xy12345", User: "ROTATOR", Authenticator: gosnowflake.AuthTypeJwt, PrivateKey: key}
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, cfg))
	defer admin.Close()

	conf, err := policy.LoadConfigFile("/etc/snowpat/targets.yaml") // stores by URL: awssm://, azkv://, file://…
	if err != nil {
		log.Fatal(err)
	}
	engine, err := policy.New(policy.Options{
		Admin:  pat.NewClient(admin),
		Verify: pat.Verifier(gosnowflake.Config{Account: "xy12345"}),
		Logger: slog.Default(),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()
	runner := &policy.Runner{Engine: engine, Targets: conf.Targets, Parallelism: 8}
	_ = runner.Run(ctx) // plans, rotates what is due, sleeps until the next due time
}
