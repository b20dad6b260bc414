package policy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/biworld"
	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/secrets/memstore"
)

func newBI(t *testing.T, w *world) *biworld.World {
	t.Helper()
	base := *w.Server.Config("", pattest.PAT(""))
	b := biworld.New(w.Server.Account(), func(ctx context.Context, user, password string) error {
		return pat.Verify(ctx, base, user, pat.NewSecret(password))
	}, policytest.InstantWaits(w.Clock))
	t.Cleanup(b.Close)
	return b
}

// One target pushed to a Tableau data source, a Tableau workbook, a Power
// BI cloud model and a Power BI gateway model, through a simulated year of
// rotations: every dashboard refreshes every day, before the engine runs,
// right after it, across the grace and after it. (Issue 19.)
func TestDashboardsRefreshThroughAYearOfRotations(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.URLs
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.Open })
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.NoError(t, b.Refresh(ctx))
	for day := 1; day <= 365; day++ {
		w.Clock.Step(policy.Day)
		require.NoError(t, b.Refresh(ctx), "day %d, before the pass", day)
		d, err := e.Apply(ctx, tg)
		require.NoError(t, err, "day %d: %s", day, d.Reason())
		require.NoError(t, b.Refresh(ctx), "day %d, after the pass", day)
		w.requireWorks(tg)
	}
	require.Equal(t, 4, w.Count(policy.EventRotated))
	require.Equal(t, 4*5, w.Count(policy.EventPushed), "every destination got every secret once")
}

// A destination whose push fails is pushed again on the next pass, while
// the old secret still works; one that keeps failing past the grace is cut
// off, as it would be in production, and is told so; the others never
// notice. (Issue 19.)
func TestFailedPushIsRetriedAndReported(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.URLs
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.Open; o.Retry = policy.Retry{Attempts: 1} })
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	w.Clock.Step(91 * policy.Day)

	// Power BI answers every update with a 503 for a while.
	b.PowerBI.FailFor(powerbifake.OpUpdateDatasource, 1000, &powerbifake.APIError{Status: 503, Code: "ServiceUnavailable", Message: "down"})
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, push.ErrUnavailable)
	require.NoError(t, b.Tableau.Refresh(ctx), "Tableau got the new secret")
	require.NoError(t, b.PowerBI.Refresh(ctx), "Power BI still holds the old secret, alive for the grace")
	failed := false
	for _, ev := range w.Events() {
		failed = failed || ev.Kind == policy.EventFailed && strings.Contains(ev.Destination, "powerbi") && strings.Contains(ev.Reason, "stops working at")
	}
	require.True(t, failed, "the failed event names the destination and when its secret dies")

	// Past the grace Power BI's refreshes fail, as in production.
	w.Clock.Step(25 * time.Hour)
	require.Error(t, b.PowerBI.Refresh(ctx))
	require.NoError(t, b.Tableau.Refresh(ctx))

	// Power BI is back: the next pass pushes to it, and only to it.
	b.PowerBI.ClearFaults(powerbifake.OpUpdateDatasource)
	pushed := w.Count(policy.EventPushed)
	d, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionPush, d.Action, d.Reason())
	require.Equal(t, pushed+2, w.Count(policy.EventPushed))
	require.NoError(t, b.Refresh(ctx))
}

// The dry run shows the push steps after the promotion.
func TestDryRunShowsPushes(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.URLs[:1]
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.Open })
	d := e.Plan(context.Background(), []policy.Target{tg}).Decisions[0]
	var kinds []policy.StepKind
	for _, s := range d.Steps {
		kinds = append(kinds, s.Kind)
	}
	require.Equal(t, []policy.StepKind{policy.StepAddToken, policy.StepStorePending, policy.StepVerify, policy.StepPromote, policy.StepPush, policy.StepTest}, kinds)
}

// A secret that no store made current is not the one the stores hand out:
// it is not pushed, whatever the promotions' failure. (Found by the fault
// campaign: a rotator whose promotion lost a race pushed its own secret.)
func TestNoPushWithoutAPromotion(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.URLs
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.Open; o.Retry = policy.Retry{Attempts: 1} })
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	pushed := w.Count(policy.EventPushed)
	w.Clock.Step(91 * policy.Day)

	w.faults.Fail(memstore.Match{Op: memstore.OpPromote, Times: memstore.Always}, errInjected)
	d, err := e.Apply(ctx, tg)
	require.Error(t, err)
	require.Equal(t, policy.ActionRotate, d.Action, d.Reason())
	require.Equal(t, pushed, w.Count(policy.EventPushed), "nothing pushed: no store holds the new secret as current")
	require.NoError(t, b.Refresh(ctx), "the dashboards keep the old secret, which the stores still hand out")

	w.faults.Clear()
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, pushed+len(b.URLs), w.Count(policy.EventPushed))
	require.NoError(t, b.Refresh(ctx))
	w.requireWorks(tg)
}
