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
// targets in varied states (fresh, due, expiring, drifted stores), and
// reports decisions per second and allocations per decision.
func BenchmarkEvaluate(b *testing.B) {
	const n = 100_000
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	targets := make([]policy.Target, n)
	obs := make([]policy.Observed, n)
	for i := range targets {
		name := fmt.Sprintf("T%d", i)
		targets[i] = policy.Target{User: "U" + name, Token: name, Policy: policy.Production(), Stores: []string{"mem://" + name}}
		targets[i].Policy.RoleRestriction = "R"
		age := time.Duration(i%120) * policy.Day
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
				Token:     pat.StoredToken{Token: pat.NewSecret("s")},
				Snowflake: &pat.DecodedToken{State: "ACTIVE", TokenName: stored, UserName: "U" + name}}}},
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	decisions := 0
	for b.Loop() {
		for i := range targets {
			_ = policy.Evaluate(now, targets[i], obs[i])
		}
		decisions += n
	}
	b.ReportMetric(float64(decisions)/time.Since(start).Seconds(), "decisions/s")
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() {
		for i := 0; i < 1000; i++ {
			_ = policy.Evaluate(now, targets[i], obs[i])
		}
	}))/1000, "allocs/decision")
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
