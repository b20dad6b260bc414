package policy_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
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
	now, targets, obs := evaluateFleet()
	n := len(targets)
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
			// At least 250,000 decisions, whatever the fleet's size: a
			// few passes over a small fleet's 840 targets take a fraction
			// of a millisecond, too little for the CPU clock and the
			// collector's share of it to average out.
			passes := max(3, 250_000/len(idx))
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

// evaluateFleet is BenchmarkEvaluate's fleet, observed at now.
func evaluateFleet() (now time.Time, targets []policy.Target, obs []policy.Observed) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SNOWPAT_BENCH_EVALUATE_TARGETS")); err == nil && v >= 1000 {
		n = v
	}
	now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	targets = make([]policy.Target, n)
	obs = make([]policy.Observed, n)
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
	return now, targets, obs
}

// BenchmarkEvaluateReads is the floor under BenchmarkEvaluate's
// none-due-decisions/cpu-s: for the same fleet's targets with nothing due,
// it reads what EvaluateTo must read to decide that — the target's user,
// token and warning thresholds, the observed user, the token SHOW listed,
// the store's current version and what SYSTEM$DECODE_PAT said of it, the
// bytes of the names it compares — and writes what the decision gets,
// with no logic in between. Observed reaches each of those through its
// own pointer or slice, so a large fleet's rate is bounded by the memory
// they are in (reads-decisions/s here), not by the evaluation.
func BenchmarkEvaluateReads(b *testing.B) {
	now, targets, obs := evaluateFleet()
	ds := make([]policy.Decision, len(targets))
	var none []int
	for i := range targets {
		policy.EvaluateTo(&ds[i], now, &targets[i], &obs[i])
		if ds[i].Action == policy.ActionNone {
			none = append(none, i)
		}
	}
	last := func(s string) int { return int(s[len(s)-1]) }
	sum, k := 0, 0
	for b.Loop() {
		i := none[k]
		t, o, d := &targets[i], &obs[i], &ds[i]
		tok, v := &o.Tokens[0], o.Stores[0].Current
		sum += last(t.User) + last(t.Token) + int(t.Policy.WarnBefore[0]) + len(t.Policy.RoleRestriction) +
			len(o.User.Type) + len(o.User.NetworkPolicy) +
			last(tok.Name) + len(tok.Status) + len(tok.RoleRestriction) + int(tok.CreatedOn.Unix()) +
			last(v.Snowflake.UserName) + last(v.Snowflake.TokenName) + len(v.Snowflake.State) + int(v.Token.Format) + len(v.Token.User) +
			last(d.Target)
		d.Action, d.Due, d.Token, d.ExpiresAt = policy.ActionNone, tok.CreatedOn, tok.Name, tok.ExpiresAt
		if k++; k == len(none) {
			k = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads-decisions/s")
	readsSink = sum
}

// readsSink keeps BenchmarkEvaluateReads' reads from being left out.
var readsSink int

// seq is 0, 1, …, n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
