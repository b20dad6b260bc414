package policy_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/memstore" // registers mem://
)

// Evaluate is a pure function: the plan for a token 95 days old under the
// production preset.
func ExampleEvaluate() {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	target := policy.Target{User: "POWERBI_SERVICE", Token: "POWERBI", Policy: policy.Production(), Stores: []string{"mem://powerbi"}}
	target.Policy.RoleRestriction = "BI_READER"
	observed := policy.Observed{
		User: &pat.UserInfo{Name: "POWERBI_SERVICE", Type: "SERVICE", NetworkPolicy: "BI"},
		Tokens: []pat.Token{{Name: "POWERBI", Status: pat.StatusActive, RoleRestriction: "BI_READER",
			CreatedOn: now.Add(-95 * policy.Day), ExpiresAt: now.Add(5 * policy.Day)}},
		Stores: []policy.StoreState{{URL: "mem://powerbi", Current: &policy.StoredVersion{ID: "1",
			Token:     pat.StoredToken{Token: pat.NewSecret("x"), Format: pat.FormatJSON},
			Snowflake: &pat.DecodedToken{State: "ACTIVE", TokenName: "POWERBI", UserName: "POWERBI_SERVICE"}}}},
	}
	d := policy.Evaluate(now, target, observed)
	fmt.Println(d.Action)
	fmt.Println(d.Reason())
	for i, step := range d.Steps {
		fmt.Printf("%d. %s\n", i+1, step)
	}
	// Output:
	// rotate
	// rotation interval (90d) reached: created 2026-02-26 00:00 UTC
	// 1. rotate token POWERBI (the old secret works 24h more): the old secret keeps working for the grace
	// 2. store pending in mem://powerbi
	// 3. verify a login with the new secret: as POWERBI_SERVICE, as a consumer would
	// 4. promote in mem://powerbi (if current is still 1)
}

// A policy that would let a token expire before its rotation is refused.
func ExamplePolicy_Validate() {
	p := policy.Production()
	p.LifetimeDays = 95 // 90-day interval + 7-day lead do not fit
	fmt.Println(p.Validate())
	// Output:
	// policy: invalid policy: lifetimeDays: 95 days does not exceed rotateEvery (90d) plus rotateBefore (7d): a token could expire before its rotation
}

// The engine against the emulator: create the token, then rotate it when
// the interval comes due, printing each step.
func ExampleEngine_Apply() {
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	srv, db, target := exampleAccount(clock, "mem://example/powerbi")
	defer srv.Close()
	defer db.Close()
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
	clock.Step(90 * policy.Day)
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
	key, err := pat.LoadPrivateKey("/etc/snowpat/rotator.p8", nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg := gosnowflake.Config{Account: "xy12345", User: "ROTATOR", Authenticator: gosnowflake.AuthTypeJwt, PrivateKey: key}
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, cfg))
	defer admin.Close()

	conf, err := policy.LoadConfigFile("/etc/snowpat/targets.yaml") // import the adapters of the store URLs it names
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

// exampleAccount starts an emulator on clock with a service user ready for
// a token, and returns an administrator connection and the target that
// keeps the user's POWERBI token in the store at storeURL.
func exampleAccount(clock *testingclock.FakeClock, storeURL string) (*pattest.Server, *sql.DB, policy.Target) {
	srv := pattest.NewServer(pattest.WithClock(clock))
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
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
	p := policy.Production()
	p.RoleRestriction = "BI_READER"
	target := policy.Target{Account: srv.Account(), User: "POWERBI_SERVICE", Token: "POWERBI", Policy: p,
		Stores: []string{storeURL}}
	return srv, db, target
}

// A dry run: the plan for every target, as a person reads it. Plan
// observes Snowflake and the stores and changes nothing.
func ExampleEngine_Plan() {
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	srv, db, target := exampleAccount(clock, "mem://example/plan")
	defer srv.Close()
	defer db.Close()
	engine, err := policy.New(policy.Options{Admin: pat.NewClient(db), Verify: pat.Verifier(*srv.Config("", pattest.PAT(""))), Clock: clock})
	if err != nil {
		panic(err)
	}
	defer engine.Close()

	// The token was made 85 days ago; a second token is not made yet.
	ctx := context.Background()
	if _, err := engine.Apply(ctx, target); err != nil {
		panic(err)
	}
	clock.Step(85 * policy.Day)
	tableau := target
	tableau.Token, tableau.Stores = "TABLEAU", []string{"mem://example/plan-tableau"}

	plan := engine.Plan(ctx, []policy.Target{target, tableau})
	fmt.Print(plan.Table())
	// Output:
	// TARGET                   ACTION  DUE                   EXPIRES               REASON
	// POWERBI_SERVICE/POWERBI  none    2026-04-01 09:00 UTC  2026-04-11 09:00 UTC  next rotation 2026-04-01 09:00 UTC: rotation interval (90d) reached
	// POWERBI_SERVICE/TABLEAU  create  2026-03-27 09:00 UTC  -                     token TABLEAU does not exist
	// POWERBI_SERVICE/TABLEAU will:
	//   1. add token TABLEAU (100 days, role BI_READER): the target's token
	//   2. store pending in mem://example/plan-tableau
	//   3. verify a login with the new secret: as POWERBI_SERVICE, as a consumer would
	//   4. promote in mem://example/plan-tableau
}

// Targets from YAML: a named policy built on a preset, and a target that
// keeps its token in a file store. Mistakes name the file, line and field.
func ExampleLoadConfig() {
	const yaml = `
account: xy12345
policies:
  prod:
    preset: production
    roleRestriction: BI_READER
    consumerCacheTTL: 1h
targets:
  - user: POWERBI_SERVICE
    token: POWERBI
    policy: prod
    stores: ["file:///var/lib/snowpat/powerbi"]
`
	conf, err := policy.LoadConfig(strings.NewReader(yaml), "targets.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := conf.Targets[0]
	fmt.Println(t.Account, t.User, t.Token, t.Policy.RotateEvery, t.Policy.RoleRestriction, t.Stores[0])

	_, err = policy.LoadConfig(strings.NewReader(strings.Replace(yaml, "policy: prod", "policy: prdo", 1)), "targets.yaml")
	fmt.Println(err)
	_, err = policy.LoadConfig(strings.NewReader(strings.Replace(yaml, "1h", "an hour", 1)), "targets.yaml")
	fmt.Println(errors.Is(err, policy.ErrInvalidConfig))
	// Output:
	// xy12345 POWERBI_SERVICE POWERBI 2160h0m0s BI_READER file:///var/lib/snowpat/powerbi
	// targets.yaml:11:13: targets[0].policy: unknown policy "prdo" (known: development, prod, production)
	// true
}

// Two replicas share one lease secret: while one holds a target, the other
// is told ErrLocked and skips it; a replica that dies holding a lease
// blocks the target only until the lease's TTL runs out.
func ExampleNewLeaseLocker() {
	ctx := context.Background()
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	leases, err := secrets.OpenStore(ctx, "mem://example/leases") // any store with compare-and-swap
	if err != nil {
		panic(err)
	}
	defer leases.Close()
	a, _ := policy.NewLeaseLocker(leases, "replica-a", 10*time.Minute, clock)
	b, _ := policy.NewLeaseLocker(leases, "replica-b", 10*time.Minute, clock)

	held, err := a.Lock(ctx, "POWERBI_SERVICE/POWERBI")
	fmt.Println("a:", err)
	_, err = b.Lock(ctx, "POWERBI_SERVICE/POWERBI")
	fmt.Println("b:", errors.Is(err, policy.ErrLocked))
	_ = held.Unlock(ctx)
	heldB, err := b.Lock(ctx, "POWERBI_SERVICE/POWERBI")
	fmt.Println("b after a unlocked:", err)
	_ = heldB.Unlock(ctx)

	// replica-a takes the lease and dies without releasing it.
	_, _ = a.Lock(ctx, "POWERBI_SERVICE/POWERBI")
	clock.Step(11 * time.Minute)
	heldB, err = b.Lock(ctx, "POWERBI_SERVICE/POWERBI")
	fmt.Println("b after the lease expired:", err)
	_ = heldB.Unlock(ctx)
	// Output:
	// a: <nil>
	// b: true
	// b after a unlocked: <nil>
	// b after the lease expired: <nil>
}
