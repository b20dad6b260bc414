package policy_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
)

// TestFaultCampaign is a seeded, randomised campaign: many rotations over
// several targets, with faults injected at random points — Snowflake
// errors, responses lost after the statement ran, store write and promote
// failures and lost store responses, latency, crashes (an engine abandoned
// mid-step), and two or three engines on the same targets at once. Each
// faulty pass is followed by a recovery pass of a fresh engine; then the
// invariants are checked:
//
//   - every target's current stored secret logs in, right after the
//     faults and after recovery, and again after simulated time passes;
//   - at most one active token that is not a rotated-out secret, per
//     target;
//   - every store of a target holds the same secret and no pending one;
//   - no secret appears in any log line, event or error.
//
// SNOWPAT_CAMPAIGN_SEED fixes the seed and SNOWPAT_CAMPAIGN_RUNS the
// number of runs (a short campaign by default, for CI). A failure prints
// the seed that reproduces it.
func TestFaultCampaign(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("SNOWPAT_CAMPAIGN_SEED"), 10, 64); err == nil {
		seed = v
	}
	runs := 6
	if v, err := strconv.Atoi(os.Getenv("SNOWPAT_CAMPAIGN_RUNS")); err == nil && v > 0 {
		runs = v
	}
	t.Logf("fault campaign seed %d (rerun with SNOWPAT_CAMPAIGN_SEED=%d)", seed, seed)
	var stats campaignStats
	for run := 0; run < runs; run++ {
		runSeed := seed + uint64(run)
		ok := t.Run(fmt.Sprintf("run%d", run), func(t *testing.T) {
			campaignRun(t, rand.New(rand.NewPCG(runSeed, 0x5eed)), &stats)
		})
		if !ok {
			t.Fatalf("violation in run %d: reproduce with SNOWPAT_CAMPAIGN_SEED=%d SNOWPAT_CAMPAIGN_RUNS=1", run, runSeed)
		}
	}
	t.Logf("%s", stats.report(runs))
}

type campaignStats struct {
	mu         sync.Mutex
	faults     map[string]int
	passes     int
	rotations  int
	violations int
}

func (s *campaignStats) fault(kind string) {
	s.mu.Lock()
	if s.faults == nil {
		s.faults = map[string]int{}
	}
	s.faults[kind]++
	s.mu.Unlock()
}

func (s *campaignStats) report(runs int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	kinds := make([]string, 0, len(s.faults))
	total := 0
	for k, n := range s.faults {
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
		total += n
	}
	sort.Strings(kinds)
	return fmt.Sprintf("runs=%d passes=%d rotations=%d faults=%d (%s) violations=%d",
		runs, s.passes, s.rotations, total, strings.Join(kinds, " "), s.violations)
}

var snowflakeStatements = []string{"ROTATE", "ADD", "REMOVE", "SHOW", "DESCRIBE", "DECODE_PAT", `^SELECT 1$`}

func campaignRun(t *testing.T, rng *rand.Rand, stats *campaignStats) {
	w := newWorld(t)
	// Short cycles so that a run sees many rotations; the engine runs at
	// least once within every lead time, as the guarantees assume.
	fast := policy.Policy{Name: "fast", RotateEvery: 10 * policy.Day, RotateBefore: 3 * policy.Day, LifetimeDays: 15,
		Grace: 24 * time.Hour, ConsumerCacheTTL: time.Hour, WarnBefore: []time.Duration{2 * policy.Day}}
	slow := fast
	slow.Name, slow.RotateEvery, slow.LifetimeDays = "slow", 20*policy.Day, 25
	presets := []policy.Policy{fast, slow}
	var targets []policy.Target
	for i := 0; i < 3; i++ {
		p := presets[rng.IntN(2)]
		if rng.IntN(2) == 0 {
			p.Strategy = policy.StrategyBlueGreen
		}
		targets = append(targets, w.target(fmt.Sprintf("SVC%d", i), p, 1+rng.IntN(2)))
	}
	ctx := context.Background()
	setup := w.engine()
	for _, tg := range targets {
		_, err := setup.Apply(ctx, tg)
		require.NoError(t, err)
	}
	base := *w.srv.Config("", pattest.PAT(""))
	var errTexts []string
	check := func(when string) {
		t.Helper()
		for _, tg := range targets {
			for i := range tg.Stores {
				st, ok := w.stored(tg, i)
				if !ok || pat.Verify(ctx, base, tg.User, st.Token) != nil {
					stats.mu.Lock()
					stats.violations++
					stats.mu.Unlock()
					w.rec.mu.Lock()
					for _, ev := range w.rec.events {
						if ev.Target == tg.ID() {
							t.Logf("%s %-9s %-10s %s %s %s", ev.Time.Format(time.DateTime), ev.Kind, ev.Token, ev.Store, ev.Reason, ev.Err)
						}
					}
					w.rec.mu.Unlock()
					t.Fatalf("%s: %s lost its working credential in %s at %s", when, tg.ID(), tg.Stores[i], w.clock.Now())
				}
			}
		}
	}
	for step := 0; step < 30; step++ {
		w.clock.Advance(time.Duration(12+rng.IntN(37)) * time.Hour)
		check("after time passed")

		// A faulty pass: one to three engines at once, faults armed.
		engines := 1 + rng.IntN(3)
		passCtx, cancel := context.WithCancel(ctx)
		for f := 0; f < 1+rng.IntN(3); f++ {
			armRandomFault(w, rng, cancel, stats)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for e := 0; e < engines; e++ {
			eng := w.engine(func(o *policy.Options) {
				o.Locker = policy.NewLocalLocker()
				o.Retry = policy.Retry{Attempts: 1 + rng.IntN(2)}
			})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, tg := range targets {
					if _, err := eng.Apply(passCtx, tg); err != nil {
						mu.Lock()
						errTexts = append(errTexts, err.Error())
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		cancel()
		w.faults.clear()
		w.srv.ClearFaults()
		w.srv.SetLatency(0)
		stats.mu.Lock()
		stats.passes++
		stats.mu.Unlock()
		check("right after the faults")

		// Recovery: a fresh engine with no faults must repair everything.
		fresh := w.engine()
		for _, tg := range targets {
			d, err := fresh.Apply(ctx, tg)
			require.NoError(t, err, "recovery of %s (%s: %s)", tg.ID(), d.Action, d.Reason)
		}
		check("after recovery")
		for _, tg := range targets {
			active := 0
			for _, tok := range w.tokens(tg.User) {
				if tok.Status == pat.StatusActive && !tok.IsRotated() {
					active++
				}
			}
			// Blue/green keeps the previous generation until its grace ends.
			limit := 1
			if tg.Policy.Strategy == policy.StrategyBlueGreen {
				limit = 2
			}
			require.LessOrEqual(t, active, limit, "%s has %d active tokens", tg.ID(), active)
			first, _ := w.stored(tg, 0)
			for i := range tg.Stores {
				st, _ := w.stored(tg, i)
				require.True(t, st.Token.Equal(first.Token), "%s: stores disagree", tg.ID())
				_, err := w.store(tg.Stores[i]).ByStage(ctx, 2)
				require.Error(t, err, "%s: a pending version survived recovery", tg.ID())
			}
		}
	}
	stats.mu.Lock()
	stats.rotations += w.rec.count(policy.EventRotated) + w.rec.count(policy.EventCreated)
	stats.mu.Unlock()
	secrets := w.allSecrets()
	for _, e := range errTexts {
		for _, s := range secrets {
			require.NotContains(t, e, s, "a secret appears in an error")
		}
	}
}

// armRandomFault arms one fault of a random kind.
func armRandomFault(w *world, rng *rand.Rand, cancel context.CancelFunc, stats *campaignStats) {
	stmt := snowflakeStatements[rng.IntN(len(snowflakeStatements))]
	ops := []string{"PutPending", "Promote", "Get", "Retire", "List"}
	op := ops[rng.IntN(len(ops))]
	switch k := rng.IntN(6); k {
	case 0:
		stats.fault("snowflake-error")
		w.srv.Inject(pattest.Fault{Match: stmt, Err: &pattest.Error{Code: "000630", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}})
	case 1:
		stats.fault("snowflake-lost-response")
		w.srv.Inject(pattest.Fault{Match: []string{"ROTATE", "ADD", "REMOVE"}[rng.IntN(3)], LoseResponse: true})
	case 2:
		stats.fault("store-failure")
		w.faults.add(storeRule{name: "campaign", op: op, times: 1 + rng.IntN(2)})
	case 3:
		stats.fault("store-lost-response")
		w.faults.add(storeRule{name: "campaign", op: []string{"PutPending", "Promote"}[rng.IntN(2)], times: 1, after: true})
	case 4:
		stats.fault("crash")
		w.faults.add(storeRule{name: "campaign", op: op, times: 1, hook: cancel, after: rng.IntN(2) == 0})
	case 5:
		stats.fault("latency")
		w.srv.SetLatency(time.Duration(rng.IntN(3)) * time.Millisecond)
	}
}
