package policy_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/slowstore"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// The request budget, measured by the benchmarks below against the
// emulator with a latency added to every request, to Snowflake and to the
// store alike. A rotation of one target with one store (rotate strategy),
// by an engine that ran the hour before, as an hourly rotator does:
//
//	round trip  requests                         why
//	1           DESCRIBE USER, SHOW PATs, store  the user (disabled or dropped blocks), its
//	            stages (one call, or three at    tokens, what the store holds; the account's
//	            once)                            rules and the stored secret's identity are
//	                                             remembered from the hour before
//	2           ALTER USER … ROTATE PAT          mint, with the grace
//	3           store: write pending             the new secret is safe before anything can
//	                                             lose it
//	4           login                            the new secret logs in as the user
//	5           logout                           the probe's session is not left open
//	6           store: promote                   consumers get it
//
// An idle pass (nothing due) is round trip 1 alone: two Snowflake
// requests and one store call per target; every six hours a target's
// first pass also reads the account's rules again (SHOW AUTHENTICATION
// POLICIES on the user and the account, DESCRIBE AUTHENTICATION POLICY if
// one applies, SHOW GRANTS), and the first pass after a rotation decodes
// the new stored secret once (SELECT SYSTEM$DECODE_PAT).

// benchRTT is the latency the fleet runs with, as in issue 20's table;
// pathRTT is the critical path's, longer so that the scheduling noise of
// a loaded machine (a few milliseconds) weighs less in the quotient.
const (
	benchRTT = 20 * time.Millisecond
	pathRTT  = 50 * time.Millisecond
)

// fleet is n targets, one store each, on one emulated account.
type fleet struct {
	srv     *pattest.Server
	admin   *sql.DB
	clock   *testingclock.FakeClock
	engine  *policy.Engine
	targets []policy.Target
	lat     slowstore.Latency
	calls   slowstore.Counter
	next    time.Time // when the next target is due, as the last pass saw
	http    httpTrace // every request to Snowflake, the administrator's and the logins'
}

func benchTargets(def int) int {
	if v, err := strconv.Atoi(os.Getenv("SNOWPAT_BENCH_TARGETS")); err == nil && v > 0 {
		return v
	}
	return def
}

func newFleet(b *testing.B, n int) *fleet {
	b.Helper()
	f := &fleet{clock: testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))}
	f.srv = pattest.NewServer(pattest.WithClock(f.clock))
	b.Cleanup(f.srv.Close)
	admin := *f.srv.AdminConfig()
	admin.Transporter = f.http.wrap(admin.Transporter)
	f.admin = sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, admin))
	b.Cleanup(func() { _ = f.admin.Close() })
	_ = gosnowflake.GetLogger().SetLogLevel("fatal")
	exec := func(s string) {
		if _, err := f.admin.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	exec("CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')")
	exec("CREATE ROLE bi_reader")
	stores := map[string]*secrets.Store{}
	for i := range n {
		u := fmt.Sprintf("SVC%d", i)
		exec("CREATE USER " + u + " TYPE = SERVICE NETWORK_POLICY = bi")
		exec("GRANT ROLE bi_reader TO USER " + u)
		p := policy.Production()
		p.RoleRestriction = "BI_READER"
		url := fmt.Sprintf("mem://bench/%s/%d", b.Name(), i)
		stores[url] = secrets.NewStore(slowstore.Wrap(memstore.OpenDriver(url), &f.lat, &f.calls))
		f.targets = append(f.targets, policy.Target{Account: f.srv.Account(), User: u, Token: "APP", Policy: p, Stores: []string{url}})
	}
	var err error
	f.engine, err = policy.New(policy.Options{
		Admin: pat.NewClient(f.admin), Verify: pat.Verifier(f.loginConfig()), Clock: f.clock,
		OpenStore: func(_ context.Context, url string) (*secrets.Store, error) { return stores[url], nil },
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = f.engine.Close() })
	f.pass(b, 32, 0, n) // create every token
	return f
}

// pass runs one pass over the fleet at parallelism par with latency rtt on
// every request, and requires due of the targets to have been due (any
// number, with due < 0). It
// returns the wall time and the requests made.
func (f *fleet) pass(b *testing.B, par int, rtt time.Duration, due int) (time.Duration, int64) {
	b.Helper()
	// Each target's observation runs its requests at once.
	f.admin.SetMaxIdleConns(4*par + 2)
	f.srv.ResetCounts()
	f.calls.Reset()
	f.http.reset()
	f.srv.SetLatency(rtt)
	f.lat.Set(rtt)
	start := time.Now()
	plan, failed := (&policy.Runner{Engine: f.engine, Targets: f.targets, Parallelism: par}).RunOnce(context.Background())
	wall := time.Since(start)
	f.srv.SetLatency(0)
	f.lat.Set(0)
	if len(failed) > 0 {
		b.Fatalf("%d targets failed, e.g. %v", len(failed), first(failed))
	}
	if got := len(plan.Due()); due >= 0 && got != due {
		b.Fatalf("%d of %d targets were due, want %d: %s", got, len(f.targets), due, plan.Decisions[0].Reason())
	}
	if next, ok := plan.Next(); ok {
		f.next = next
	}
	return wall, f.srv.Counts().RoundTrips() + f.calls.Load()
}

// untilDue runs the passes an hourly rotator runs before the fleet's next
// rotation — the retirement of the last one's previous versions after its
// grace, and a pass half an hour before the rotation — and moves to the
// moment the fleet is due. So the engine has its memory of the targets,
// and the administrator's sessions are younger than their hour of
// validity. (A session older than that costs its connection's next
// statement two more requests and round trips, a refused attempt and the
// renewal, once per pass; gosnowflake's ClientSessionKeepAlive trades them
// for a heartbeat an hour in the background.)
func (f *fleet) untilDue(b *testing.B) {
	b.Helper()
	f.clock.Step(25 * time.Hour)
	f.pass(b, 32, 0, -1) // retires, where a rotation's grace is over
	f.clock.Step(time.Minute)
	f.pass(b, 32, 0, 0) // learns when the fleet is due
	f.clock.SetTime(f.next.Add(-30 * time.Minute))
	f.pass(b, 32, 0, 0)
	f.clock.SetTime(f.next)
}

// BenchmarkRotationCriticalPath rotates one target with one store, as an
// engine that ran half an hour before does and as a freshly started one
// does, with pathRTT on every request, and reports its requests and the
// round trips on its critical path: those made one after another (see
// fleet.sequential), and the wall time less the local work, divided by
// pathRTT, which agrees with it up to the machine's scheduling noise.
func BenchmarkRotationCriticalPath(b *testing.B) {
	for _, warm := range []bool{true, false} {
		name := "hourly"
		if !warm {
			name = "after-restart"
		}
		b.Run(name, func(b *testing.B) {
			f := newFleet(b, 1)
			var slow, local time.Duration
			var reqs, seq int64
			var nslow, nlocal int
			for b.Loop() {
				for _, rtt := range []time.Duration{0, pathRTT} {
					b.StopTimer()
					f.untilDue(b)
					if !warm {
						f.restart(b)
					}
					b.StartTimer()
					wall, n := f.pass(b, 1, rtt, 1)
					if rtt == 0 {
						local += wall
						nlocal++
						continue
					}
					slow += wall
					reqs += n
					seq += int64(f.sequential())
					nslow++
				}
			}
			perSlow, perLocal := slow/time.Duration(nslow), local/time.Duration(nlocal)
			b.ReportMetric(float64(seq)/float64(nslow), "roundtrips/rotation")
			b.ReportMetric(float64(perSlow-perLocal)/float64(pathRTT), "wall-roundtrips/rotation")
			b.ReportMetric(float64(reqs)/float64(nslow), "requests/rotation")
			b.ReportMetric(float64(perLocal)/float64(time.Millisecond), "local-ms/rotation")
		})
	}
}

// restart replaces the engine by a fresh one, as a new process would be.
func (f *fleet) restart(b *testing.B) {
	b.Helper()
	stores := map[string]*secrets.Store{}
	for _, t := range f.targets {
		stores[t.Stores[0]] = secrets.NewStore(slowstore.Wrap(memstore.OpenDriver(t.Stores[0]), &f.lat, &f.calls))
	}
	e, err := policy.New(policy.Options{
		Admin: pat.NewClient(f.admin), Verify: pat.Verifier(f.loginConfig()), Clock: f.clock,
		OpenStore: func(_ context.Context, url string) (*secrets.Store, error) { return stores[url], nil },
	})
	if err != nil {
		b.Fatal(err)
	}
	_ = f.engine.Close()
	f.engine = e
}

// BenchmarkFleetRotation rotates a fleet (1,000 targets;
// SNOWPAT_BENCH_TARGETS overrides) at parallelism 1, 8 and 32 with
// benchRTT on every request, and reports requests per rotation and the
// wall time as a ratio to the bound the critical path implies: targets ÷
// parallelism × 6 round trips × benchRTT.
func BenchmarkFleetRotation(b *testing.B) {
	n := benchTargets(1000)
	f := newFleet(b, n)
	for _, par := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("parallelism=%d", par), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				f.untilDue(b)
				b.StartTimer()
				wall, reqs := f.pass(b, par, benchRTT, n)
				bound := time.Duration(float64(n) / float64(par) * 6 * float64(benchRTT))
				b.ReportMetric(float64(reqs)/float64(n), "requests/rotation")
				b.ReportMetric(wall.Seconds()/bound.Seconds(), "x-bound")
				b.ReportMetric(float64(n)/wall.Seconds(), "rotations/s")
			}
		})
	}
}

// BenchmarkIdleDay runs a day of hourly passes over a fleet in which
// nothing is due, at the Runner's default parallelism (4), and reports the
// requests of one idle target per pass and per day, and those of a
// thousand targets per day. The administrator's pooled connections each
// renew their session once an hour (two requests); at parallelism 4 a
// pass keeps about a dozen of them, which a fleet of 100 targets shares.
func BenchmarkIdleDay(b *testing.B) {
	n := benchTargets(100)
	f := newFleet(b, n)
	f.clock.Step(time.Hour)
	f.pass(b, idlePar, 0, 0) // the new secrets are identified once
	for b.Loop() {
		var reqs int64
		for range 24 {
			f.clock.Step(time.Hour)
			_, r := f.pass(b, idlePar, 0, 0)
			reqs += r
		}
		perTarget := float64(reqs) / float64(n)
		b.ReportMetric(perTarget/24, "requests/target/pass")
		b.ReportMetric(perTarget, "requests/target/day")
		b.ReportMetric(perTarget*1000, "requests/day/1000-targets")
	}
}

// idlePar is the parallelism of the idle passes: the Runner's default.
const idlePar = 4

func first(m map[string]error) error {
	for _, e := range m {
		return e
	}
	return nil
}

// loginConfig is the configuration verifications log in with, traced.
func (f *fleet) loginConfig() gosnowflake.Config {
	cfg := *f.srv.Config("", pattest.PAT(""))
	cfg.Transporter = f.http.wrap(cfg.Transporter)
	return cfg
}

// sequential is the number of round trips of the last pass that were made
// one after another: the most requests (to Snowflake and to the stores)
// whose round trips do not overlap. With a latency on every request,
// requests made at once overlap and count once; it is exact where the
// quotient of wall times is blurred by the machine's scheduling.
func (f *fleet) sequential() int {
	var all []slowstore.Interval
	all = append(all, f.calls.Intervals()...)
	all = append(all, f.http.intervals()...)
	sort.Slice(all, func(i, j int) bool { return all[i].End.Before(all[j].End) })
	n := 0
	var last time.Time
	for _, iv := range all {
		if !iv.Start.Before(last) {
			n++
			last = iv.End
		}
	}
	return n
}

// httpTrace records each HTTP round trip of the clients it wraps.
type httpTrace struct {
	mu sync.Mutex
	iv []slowstore.Interval
}

func (h *httpTrace) wrap(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		start := time.Now()
		resp, err := base.RoundTrip(r)
		h.mu.Lock()
		h.iv = append(h.iv, slowstore.Interval{Start: start, End: time.Now()})
		h.mu.Unlock()
		return resp, err
	})
}

func (h *httpTrace) reset() {
	h.mu.Lock()
	h.iv = nil
	h.mu.Unlock()
}

func (h *httpTrace) intervals() []slowstore.Interval {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slowstore.Interval(nil), h.iv...)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
