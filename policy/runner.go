package policy

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Runner is the run loop: it plans, applies what is due with bounded
// parallelism across targets, waits on the clock until the next due time
// (or MaxWait, whichever is sooner, with jitter), and stops cleanly when
// its context ends.
type Runner struct {
	Engine  *Engine
	Targets []Target
	// Parallelism bounds how many targets are applied at once; default 4.
	Parallelism int
	// MaxWait caps the wait between passes, so that changes made outside
	// snowpat are noticed; default 1h.
	MaxWait time.Duration
	// Jitter adds up to this much to every wait, so that replicas and
	// targets do not move in lockstep; default 1m. Negative disables it.
	Jitter time.Duration
}

// RunOnce applies every target once — Apply observes, evaluates and acts
// on what is due, so each target is observed once per pass — and returns
// the pass's decisions as a plan, with the errors of targets that failed.
// A target locked by another rotator is skipped, not failed. The targets
// are first checked together as a config file's are (Config.Validate):
// a target that breaks a rule — an invalid field, a duplicate, a store
// another target also names — is blocked with its error, not applied.
func (r *Runner) RunOnce(ctx context.Context) (Plan, map[string]error) {
	plan := Plan{At: r.Engine.clock.Now(), Decisions: make([]Decision, len(r.Targets))}
	failed := map[string]error{}
	invalid := invalidTargets(r.Targets)
	par := r.Parallelism
	if par <= 0 {
		par = 4
	}
	sem := make(chan struct{}, par)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, t := range r.Targets {
		if err := invalid[i]; err != nil {
			plan.Decisions[i] = Decision{Target: t.ID(), Action: ActionBlocked, Due: plan.At, why: textReason(err.Error()), cause: err}
			failed[t.ID()] = err
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return plan, failed
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := r.Engine.Apply(ctx, t)
			plan.Decisions[i] = d
			if err != nil && !errors.Is(err, ErrLocked) {
				mu.Lock()
				failed[t.ID()] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return plan, failed
}

// invalidTargets checks the targets together by the rules a config file
// follows, and returns each broken target's error by index.
func invalidTargets(ts []Target) map[int]error {
	out := map[int]error{}
	checkTargets(ts,
		func(i int) string { return "target " + ts[i].safeID() },
		func(i int, field string, err error) {
			if out[i] == nil {
				out[i] = wrapInvalid(ts[i], field, err)
			}
		})
	return out
}

// Run loops until ctx ends, then returns ctx.Err().
func (r *Runner) Run(ctx context.Context) error {
	for {
		plan, _ := r.RunOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := r.Engine.wait(ctx, r.wait(plan, r.Engine.clock.Now())); err != nil {
			return err
		}
	}
}

// wait is how long to sleep after a pass that planned plan and ended at
// now: until the next due time, which is measured from the end of the
// pass, not its start, so that a long pass does not make every sleep
// overshoot by its length.
func (r *Runner) wait(plan Plan, now time.Time) time.Duration {
	maxWait := r.MaxWait
	if maxWait <= 0 {
		maxWait = time.Hour
	}
	w := maxWait
	if next, ok := plan.Next(); ok {
		w = min(w, max(next.Sub(now), 0))
	}
	if len(plan.Due()) > 0 {
		// Something failed or was blocked this pass: look again soon, but
		// not in a hot loop.
		w = min(w, time.Minute)
	}
	jitter := r.Jitter
	if jitter == 0 {
		jitter = time.Minute
	}
	if jitter > 0 {
		w += time.Duration(r.Engine.rand.int64N(int64(jitter)))
	}
	return w
}
