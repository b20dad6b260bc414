package policy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
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
