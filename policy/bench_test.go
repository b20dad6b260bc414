package policy_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/internal/slowstore"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// BenchmarkEvaluate measures the pure policy function over 100,000
// targets, each with one store, under the production preset, in the mix a
// fleet rotated every 90 days shows on any day: token ages spread evenly
// over 0–99 days, and every 50th store holds a rotated-out secret: 84% are
// nothing due, 4% warn, 10% are due for rotation and 2% are repairs.
// SNOWPAT_BENCH_EVALUATE_TARGETS changes the fleet's size (1,000 at
// least): a fleet that fits in the caches measures the computation alone,
// a large one also the memory it reads.
//
// The timed loop is the allocation-free form a pass over a fleet uses:
// EvaluateTo into one Decision kept per target. It reports
//
//   - decisions/s: over the whole mix, by the wall clock;
//   - decisions/cpu-s: the same per second of CPU the process used, the
//     collector's included: the rate per core, which a machine shared with
//     other work does not distort as it does the wall clock;
//   - none-due-decisions/cpu-s and rotation-due-decisions/cpu-s: the rate
//     per core over the fleet's targets in each of those states alone
//     (goal: ≥ 10 M);
//   - allocs/decision: over the mix, EvaluateTo;
//   - allocs/none-due and allocs/rotation-due: EvaluateTo for targets in
//     those two states alone (goal: 0; TestEvaluateToAllocatesNothing
//     asserts it);
//   - allocs/first-rotation-due: the first evaluation of a due target into
//     a fresh Decision, which grows the decision's arrays and builds the
//     strings it keeps for its target;
//   - Evaluate-allocs/decision and Evaluate-decisions/s: the allocating
//     form over the mix, for comparison (one pass, so the rate is rough).
func BenchmarkEvaluate(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SNOWPAT_BENCH_EVALUATE_TARGETS")); err == nil && v >= 1000 {
		n = v
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	targets := make([]policy.Target, n)
	obs := make([]policy.Observed, n)
	for i := range targets {
		name := fmt.Sprintf("T%d", i)
		targets[i] = policy.Target{User: "U" + name, Token: name, Policy: policy.Production(), Stores: []string{"mem://" + name}}
		targets[i].Policy.RoleRestriction = "R"
		age := time.Duration(i%100) * policy.Day
		tok := pat.Token{Name: name, UserName: "U" + name, RoleRestriction: "R", Status: pat.StatusActive,
			CreatedOn: now.Add(-age), ExpiresAt: now.Add(-age).Add(100 * policy.Day)}
		stored := name
		if i%50 == 0 {
			stored = name + "_ROTATED_1"
		}
		obs[i] = policy.Observed{
			User:   &pat.UserInfo{Name: "U" + name, Type: "SERVICE", NetworkPolicy: "NP"},
			Tokens: []pat.Token{tok},
			Stores: []policy.StoreState{{URL: "mem://" + name, Current: &policy.StoredVersion{ID: "1",
				Metadata:  map[string]string{"snowflake_user": "U" + name, "token_name": stored},
				Token:     pat.StoredToken{Token: pat.NewSecret("s"), Format: pat.FormatJSON},
				Snowflake: &pat.DecodedToken{State: "ACTIVE", TokenName: stored, UserName: "U" + name}}}},
		}
	}
	ds := make([]policy.Decision, n)
	pass := func() {
		for i := range targets {
			policy.EvaluateTo(&ds[i], now, &targets[i], &obs[i])
		}
	}
	pass() // the decisions grow to what their targets need
	// The targets of the two states measured alone, checked to be in them.
	var none, rotate []int
	for i := range ds {
		switch ds[i].Action {
		case policy.ActionNone:
			none = append(none, i)
		case policy.ActionRotate:
			rotate = append(rotate, i)
		}
	}
	if len(none) != n*84/100 || len(rotate) != n/10 {
		b.Fatalf("the mix is off: %d nothing due, %d due for rotation in %d", len(none), len(rotate), n)
	}

	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuKnown := cpuTime()
	start := time.Now()
	decisions := 0
	for b.Loop() {
		pass()
		decisions += n
	}
	b.ReportMetric(float64(decisions)/time.Since(start).Seconds(), "decisions/s")
	if cpu1, ok := cpuTime(); cpuKnown && ok && cpu1 > cpu0 {
		b.ReportMetric(float64(decisions)/(cpu1-cpu0).Seconds(), "decisions/cpu-s")
	}
	b.StopTimer()

	if cpuKnown {
		perCore := func(idx []int) float64 {
			const passes = 3
			c0, _ := cpuTime()
			for range passes {
				for _, i := range idx {
					policy.EvaluateTo(&ds[i], now, &targets[i], &obs[i])
				}
			}
			c1, _ := cpuTime()
			return float64(passes*len(idx)) / (c1 - c0).Seconds()
		}
		b.ReportMetric(perCore(none), "none-due-decisions/cpu-s")
		b.ReportMetric(perCore(rotate), "rotation-due-decisions/cpu-s")
	}
	allocs := func(idx []int) float64 {
		return testing.AllocsPerRun(10, func() {
			for _, i := range idx {
				policy.EvaluateTo(&ds[i], now, &targets[i], &obs[i])
			}
		}) / float64(len(idx))
	}
	b.ReportMetric(allocs(seq(1000)), "allocs/decision")
	b.ReportMetric(allocs(none[:840]), "allocs/none-due")
	b.ReportMetric(allocs(rotate[:100]), "allocs/rotation-due")
	first := make([]policy.Decision, 100)
	b.ReportMetric(testing.AllocsPerRun(1, func() {
		for j, i := range rotate[:100] {
			first[j] = policy.Decision{}
			policy.EvaluateTo(&first[j], now, &targets[i], &obs[i])
		}
	})/100, "allocs/first-rotation-due")
	b.ReportMetric(testing.AllocsPerRun(1, func() {
		for i := range 1000 {
			_ = policy.Evaluate(now, targets[i], obs[i])
		}
	})/1000, "Evaluate-allocs/decision")
	start = time.Now()
	for i := range targets {
		_ = policy.Evaluate(now, targets[i], obs[i])
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "Evaluate-decisions/s")
}

// seq is 0, 1, …, n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// BenchmarkFleetRotation rotates a fleet of targets (1,000 by default;
// SNOWPAT_BENCH_TARGETS overrides) against the emulator with 20 ms added
// to every round trip, to Snowflake and to the store alike, at
// parallelism 1, 8 and 32. It reports the round trips per rotation and
// the wall time as a ratio to the lower bound the round trips imply:
// rotations ÷ parallelism × round trips per rotation × 20 ms.
func BenchmarkFleetRotation(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("SNOWPAT_BENCH_TARGETS")); err == nil && v > 0 {
		n = v
	}
	const rtt = 20 * time.Millisecond
	ctx := context.Background()
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	srv := pattest.NewServer(pattest.WithClock(clock))
	defer srv.Close()
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer admin.Close()
	_ = gosnowflake.GetLogger().SetLogLevel("fatal")
	mustExec := func(s string) {
		if _, err := admin.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	mustExec("CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')")
	mustExec("CREATE ROLE bi_reader")
	var lat slowstore.Latency
	var storeCalls slowstore.Counter
	stores := map[string]*secrets.Store{}
	targets := make([]policy.Target, n)
	for i := range targets {
		u := fmt.Sprintf("SVC%d", i)
		mustExec("CREATE USER " + u + " TYPE = SERVICE NETWORK_POLICY = bi")
		mustExec("GRANT ROLE bi_reader TO USER " + u)
		p := policy.Production()
		p.RoleRestriction = "BI_READER"
		url := fmt.Sprintf("mem://bench/%s/%d", b.Name(), i)
		stores[url] = secrets.NewStore(slowstore.Wrap(memstore.OpenDriver(url), &lat, &storeCalls))
		targets[i] = policy.Target{Account: srv.Account(), User: u, Token: "APP", Policy: p, Stores: []string{url}}
	}
	engine, err := policy.New(policy.Options{
		Admin: pat.NewClient(admin), Verify: pat.Verifier(*srv.Config("", pattest.PAT(""))), Clock: clock,
		OpenStore: func(_ context.Context, url string) (*secrets.Store, error) { return stores[url], nil },
	})
	if err != nil {
		b.Fatal(err)
	}
	defer engine.Close()
	if _, failed := (&policy.Runner{Engine: engine, Targets: targets, Parallelism: 32}).RunOnce(ctx); len(failed) > 0 {
		b.Fatal(failed)
	}
	for _, par := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("parallelism=%d", par), func(b *testing.B) {
			admin.SetMaxIdleConns(par + 2)
			for b.Loop() {
				b.StopTimer()
				clock.Step(91 * policy.Day)
				srv.ResetCounts()
				storeCalls.Reset()
				srv.SetLatency(rtt)
				lat.Set(rtt)
				b.StartTimer()
				start := time.Now()
				plan, failed := (&policy.Runner{Engine: engine, Targets: targets, Parallelism: par}).RunOnce(ctx)
				wall := time.Since(start)
				b.StopTimer()
				srv.SetLatency(0)
				lat.Set(0)
				if len(failed) > 0 {
					b.Fatalf("%d targets failed, e.g. %v", len(failed), first(failed))
				}
				if len(plan.Due()) != n {
					b.Fatalf("%d of %d targets were due", len(plan.Due()), n)
				}
				trips := float64(srv.Counts().RoundTrips()+storeCalls.Load()) / float64(n)
				bound := time.Duration(float64(n) / float64(par) * trips * float64(rtt))
				b.ReportMetric(trips, "roundtrips/rotation")
				b.ReportMetric(wall.Seconds()/bound.Seconds(), "x-lower-bound")
				b.ReportMetric(float64(n)/wall.Seconds(), "rotations/s")
				b.StartTimer()
			}
		})
	}
}

func first(m map[string]error) error {
	for _, e := range m {
		return e
	}
	return nil
}
