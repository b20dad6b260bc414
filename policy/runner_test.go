package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// TestRunLoop drives Run with the fake clock alone: the test waits until
// the loop is parked on the clock, moves the clock to the loop's next
// deadline, and repeats. Two targets with different presets rotate on
// their own schedules; cancelling the context stops the loop.
func TestRunLoop(t *testing.T) {
	w := newWorld(t)
	prod := w.target("PROD", policy.Production(), 1)
	dev := w.target("DEV", policy.Development(), 1)
	clock := &deadlineClock{FakeClock: w.Clock}
	e := w.engine(func(o *policy.Options) { o.Clock = clock }) // the loop waits on the world's clock
	defer e.Close()
	r := &policy.Runner{Engine: e, Targets: []policy.Target{prod, dev}, Parallelism: 2, MaxWait: 24 * time.Hour, Jitter: -1}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	end := w.Clock.Now().Add(200 * policy.Day)
	passes := 0
	for w.Clock.Now().Before(end) {
		parked(t, w.Clock, 1)
		next := clock.next()
		require.True(t, next.After(w.Clock.Now()), "the loop must wait for a future time")
		w.Clock.SetTime(next)
		passes++
	}
	parked(t, w.Clock, 1)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)

	w.requireWorks(prod)
	w.requireWorks(dev)
	// 200 days: production rotates at 90 and 180, development at 180.
	rotated := map[string]int{}
	for _, ev := range w.Events() {
		if ev.Kind == policy.EventRotated {
			rotated[ev.Target]++
		}
	}
	require.Equal(t, map[string]int{prod.ID(): 2, dev.ID(): 1}, rotated)
	// MaxWait caps each wait at a day: about one pass per day, not a hot loop.
	require.InDelta(t, 200, passes, 5)
}

func TestRunOnceReportsFailures(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	broken := tg
	broken.Name = "broken"
	broken.User = "NOBODY"
	broken.Stores = []string{"mem://broken"}
	e := w.engine()
	defer e.Close()
	r := &policy.Runner{Engine: e, Targets: []policy.Target{tg, broken}}
	plan, failed := r.RunOnce(context.Background())
	require.Len(t, plan.Decisions, 2)
	require.Contains(t, failed, "broken")
	require.NotContains(t, failed, tg.ID())
	require.ErrorIs(t, failed["broken"], policy.ErrFailed)
	require.ErrorIs(t, failed["broken"], pat.ErrNotFound, "the cause is kept")
	w.requireWorks(tg)
}

// The wait after a pass runs to the next due time from the end of the
// pass: a pass that took two hours (a slow store, here) must not make the
// next one two hours late.
func TestRunnerWaitsFromTheEndOfThePass(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	ctx := context.Background()
	_, err := w.engine().Apply(ctx, tg)
	require.NoError(t, err)
	due, ok := w.engine().Plan(ctx, []policy.Target{tg}).Next()
	require.True(t, ok)

	// The idle pass's read of the store takes two hours.
	slow := w.faults.Hook(memstore.Match{Store: tg.Stores[0], Times: 1}, func(context.Context) error {
		w.Clock.Step(2 * time.Hour)
		return nil
	})
	clock := &deadlineClock{FakeClock: w.Clock}
	e := w.engine(func(o *policy.Options) { o.Clock = clock })
	r := &policy.Runner{Engine: e, Targets: []policy.Target{tg}, MaxWait: 365 * policy.Day, Jitter: -1}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	parked(t, w.Clock, 1)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Equal(t, 1, slow.Hits(), "the pass read the store")
	require.Equal(t, due.UTC(), clock.next().UTC(), "the runner wakes when the rotation is due, not two hours after")
}
