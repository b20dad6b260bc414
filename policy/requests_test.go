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

// statements is what one Apply asked Snowflake, by statement kind.
func statements(t *testing.T, w *world, apply func()) map[string]int64 {
	t.Helper()
	w.Server.ResetCounts()
	apply()
	return w.Server.Counts().Statements
}

// A pass that only confirms nothing changed describes the user and lists
// its tokens, at once, and asks nothing else: the account's rules are
// remembered, and a stored secret already identified under the same token
// list is not decoded again. (Issue 20.)
func TestIdlePassAsksTwoQuestions(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	apply := func() {
		d, err := e.Apply(ctx, tg)
		require.NoError(t, err)
		require.Equal(t, policy.ActionNone, d.Action, d.Reason())
	}
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	w.Clock.Step(time.Hour)
	first := statements(t, w, apply)
	require.Equal(t, int64(1), first["SELECT"], "the new secret is identified once")

	for range 3 {
		w.Clock.Step(time.Hour)
		got := statements(t, w, apply)
		require.Equal(t, map[string]int64{"DESCRIBE USER": 1, "SHOW PATS": 1}, got)
	}

	// Plan, the dry run, observes everything afresh.
	w.Server.ResetCounts()
	e.Plan(ctx, []policy.Target{tg})
	got := w.Server.Counts().Statements
	require.Equal(t, int64(1), got["SELECT"])
	require.Equal(t, int64(1), got["SHOW GRANTS"])
	require.NotZero(t, got["SHOW AUTHENTICATION POLICIES"])
}

// The account's rules are read again once they are older than the
// engine's limit, and at once after any failed attempt, so a remembered
// fact never outlives Snowflake's refusal of it.
func TestRememberedFactsExpireAndAreForgottenOnFailure(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine(func(o *policy.Options) { o.Retry = policy.Retry{Attempts: 1} })
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)

	w.Clock.Step(time.Hour)
	got := statements(t, w, func() { _, _ = e.Apply(ctx, tg) })
	require.Zero(t, got["SHOW GRANTS"], "remembered")
	w.Clock.Step(6 * time.Hour)
	got = statements(t, w, func() { _, _ = e.Apply(ctx, tg) })
	require.Equal(t, int64(1), got["SHOW GRANTS"], "older than six hours: read again")

	// A rotation whose store write fails: the failed attempt forgets.
	w.Clock.Step(90*policy.Day - 8*time.Hour)
	_, err = e.Apply(ctx, tg) // not due yet; reads the rules again
	require.NoError(t, err)
	w.Clock.Step(2 * time.Hour)
	w.faults.Fail(memstore.Match{Op: memstore.OpPutPending}, errInjected)
	got = statements(t, w, func() {
		_, err = e.Apply(ctx, tg)
		require.ErrorIs(t, err, errInjected)
	})
	require.Zero(t, got["SHOW GRANTS"], "read within six hours: remembered")
	got = statements(t, w, func() { _, _ = e.Apply(ctx, tg) })
	require.Equal(t, int64(1), got["SHOW GRANTS"], "a failed attempt forgets what was remembered")
	w.requireWorks(tg)
}

// A token rotated outside snowpat gives the stored secret another token's
// name: the token list changed, so the remembered identification is not
// used, and the engine sees that the store holds a rotated-out secret.
func TestRememberedDecodeDiesWithTheTokenList(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	w.Clock.Step(time.Hour)
	_, err = e.Apply(ctx, tg) // identifies the stored secret under this list
	require.NoError(t, err)

	// A rename keeps the list's length: only its contents tell.
	require.NoError(t, w.Admin.Rename(ctx, "SVC", tg.Token, "ELSEWHERE"))
	w.Clock.Step(time.Hour)
	d, err := e.Apply(ctx, tg)
	require.ErrorIs(t, err, policy.ErrSharedStore, "the store holds ELSEWHERE's secret now: %s", d.Reason())
	require.NoError(t, w.Admin.Rename(ctx, "SVC", "ELSEWHERE", tg.Token))
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionNone, d.Action, d.Reason())

	// A rotation gives the stored secret the rotated-out token's name.
	w.Clock.Step(time.Hour)
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	_, err = w.Admin.Rotate(ctx, "SVC", tg.Token, pat.RotateOptions{GraceHours: 24})
	require.NoError(t, err)
	w.Clock.Step(time.Hour)
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.NotEqual(t, policy.ActionNone, d.Action, "the store's secret was rotated out: %s", d.Reason())
	w.Clock.Step(25 * time.Hour)
	w.requireWorks(tg)
}
