package k8slease

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
)

// Three replicas contend for two keys over many rounds while the clock
// jumps, renewals run in the background against the same Leases, and
// replicas are cut off and reconnected at random. In every round, for
// every key, at most one grant believes it holds the Lease: the grants
// whose Check passed at the start of the round and that were not released,
// plus the grants taken in the round. Checks, releases and takes each run
// concurrently across replicas, racing the renewals.
func TestNeverTwoHolders(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { neverTwoHolders(t, seed) })
	}
}

func neverTwoHolders(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 21))
	srv := k8sfake.New()
	clk := clocktesting.NewFakeClock(t0)
	keys := []string{"powerbi", "tableau"}
	var reps []*replica
	for i := range 3 {
		r := newReplica(t, srv, clk, "rotator")
		r.onRenew = nil // renewals run unobserved, racing the rounds
		reps = append(reps, r)
		_ = i
	}
	held := make([]map[string]policy.Lock, len(reps)) // replica → key → grant it holds
	for i := range held {
		held[i] = map[string]policy.Lock{}
	}
	steps := []time.Duration{0, time.Second, 5 * time.Second, 14 * time.Second, 15 * time.Second, 30 * time.Second, 44 * time.Second, 61 * time.Second}
	takes := 0
	for round := range 120 {
		clk.Step(steps[rng.IntN(len(steps))])
		for _, r := range reps {
			switch rng.IntN(6) {
			case 0:
				r.link.Partition()
			case 1, 2:
				r.link.Heal()
			}
		}
		release := make([]map[string]bool, len(reps))
		for i := range reps {
			release[i] = map[string]bool{}
			for k := range held[i] {
				release[i][k] = rng.IntN(4) == 0
			}
		}
		believers := map[string][]string{}
		var mu sync.Mutex
		note := func(key, who string) {
			mu.Lock()
			believers[key] = append(believers[key], who)
			mu.Unlock()
		}
		parallel(len(reps), func(i int) { // checks
			for k, l := range held[i] {
				if l.Check(ctx) != nil {
					_ = l.Unlock(ctx)
					delete(held[i], k)
				} else if !release[i][k] {
					note(k, fmt.Sprintf("replica %d (held)", i))
				}
			}
		})
		parallel(len(reps), func(i int) { // releases
			for k := range release[i] {
				if l, ok := held[i][k]; ok && release[i][k] {
					_ = l.Unlock(ctx)
					delete(held[i], k)
				}
			}
		})
		parallel(len(reps), func(i int) { // takes
			for _, k := range keys {
				if held[i][k] != nil {
					continue
				}
				if l, err := reps[i].Lock(ctx, k); err == nil {
					held[i][k] = l
					note(k, fmt.Sprintf("replica %d (taken)", i))
					mu.Lock()
					takes++
					mu.Unlock()
				}
			}
		})
		for k, who := range believers {
			require.LessOrEqual(t, len(who), 1, "round %d at %v: %s held by %v", round, clk.Now().Sub(t0), k, who)
		}
	}
	require.Greater(t, takes, len(keys), "the Leases changed hands")
	for i, r := range reps {
		r.link.Heal()
		for _, l := range held[i] {
			_ = l.Unlock(ctx)
		}
	}
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}
