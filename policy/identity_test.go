package policy_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
)

// A store that holds a token of another user — even one with the same
// token name — is not taken as current: the plan repairs it, and after the
// apply every store's secret logs in as the target's user. (Issue 14.2.)
func TestStoreHoldingAnotherUsersToken(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 2)
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)

	// Another user with a token of the same name; its secret, pasted into
	// the target's second store by hand.
	w.ServiceUser("OTHER")
	res, err := w.Admin.Add(ctx, "OTHER", tg.Token, pat.AddOptions{RoleRestriction: "BI_READER", DaysToExpiry: 30})
	require.NoError(t, err)
	w.Remember(res.Secret)
	_, err = w.Store(tg.Stores[1]).Put(ctx, []byte(res.Secret.Reveal()), nil)
	require.NoError(t, err)

	plan := e.Plan(ctx, []policy.Target{tg})
	require.Equal(t, policy.ActionRecover, plan.Decisions[0].Action, plan.Decisions[0].Reason())
	require.Contains(t, plan.Decisions[0].Reason(), "user OTHER")
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	w.requireWorks(tg)
	got, _ := w.stored(tg, 1)
	require.Equal(t, "SVC", got.User)
}

// A JSON secret whose user field names another user is repaired, so a
// consumer that takes the user from the secret logs in as the right one.
func TestStoredUserFieldChecked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	cur, _ := w.stored(tg, 0)
	var doc map[string]any
	v, err := w.Store(tg.Stores[0]).Current(ctx)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(v.Value(), &doc))
	doc["user"] = "SOMEONE_ELSE"
	b, _ := json.Marshal(doc)
	_, err = w.Store(tg.Stores[0]).Put(ctx, b, nil)
	require.NoError(t, err)

	d := e.Plan(ctx, []policy.Target{tg}).Decisions[0]
	require.Equal(t, policy.ActionRecover, d.Action, d.Reason())
	require.Contains(t, d.Reason(), "for user SOMEONE_ELSE")
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	got, _ := w.stored(tg, 0)
	require.Equal(t, "SVC", got.User)
	require.True(t, got.Token.Equal(cur.Token), "the same secret, rewritten: no rotation was needed")
	require.Equal(t, 0, w.Count(policy.EventRotated))
}

// Two targets built in Go that share one store are refused by the Runner
// and the dry run, as LoadConfig refuses them; two engines (two processes
// with different configs) that share a store find the other's live secret
// in it and block instead of overwriting each other's token every pass.
func TestSharedStoreRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.target("SVC", policy.Production(), 1)
	b := w.target("OTHER", policy.Production(), 0)
	b.Stores = a.Stores
	e := w.engine()
	r := &policy.Runner{Engine: e, Targets: []policy.Target{a, b}}
	plan, failed := r.RunOnce(ctx)
	require.ErrorIs(t, failed[b.ID()], policy.ErrSharedStore)
	require.ErrorIs(t, failed[b.ID()], policy.ErrInvalidTarget)
	require.Equal(t, policy.ActionBlocked, plan.Decisions[1].Action)
	require.Empty(t, w.Tokens("OTHER"), "nothing was sent for the refused target")
	require.ErrorIs(t, e.Plan(ctx, []policy.Target{a, b}).Decisions[1].Err(), policy.ErrSharedStore)

	// One engine asked for both, one call at a time.
	_, err := e.Apply(ctx, b)
	require.ErrorIs(t, err, policy.ErrSharedStore)

	// Another engine, as another process would be.
	other := w.engine()
	before, _ := w.stored(a, 0)
	d, err := other.Apply(ctx, b)
	require.ErrorIs(t, err, policy.ErrSharedStore, "%s: %s", d.Action, d.Reason())
	after, _ := w.stored(a, 0)
	require.True(t, before.Token.Equal(after.Token), "the other target's secret was overwritten")
	require.Empty(t, w.Tokens("OTHER"))
	w.requireWorks(a)
}

// A store URL that does not open blocks the target with the store's own
// error kind, not only ErrFailed. (Issue 14.8.)
func TestBlockedTargetKeepsItsCause(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine(func(o *policy.Options) { o.OpenStore = secrets.OpenStore })
	tg.Stores = []string{"nosuchscheme://x/y"}
	d, err := e.Apply(ctx, tg)
	require.ErrorIs(t, err, policy.ErrFailed)
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	require.ErrorIs(t, d.Err(), secrets.ErrInvalidArgument)

	missing := w.target("GHOST", policy.Production(), 1)
	missing.User = "NOBODY"
	_, err = w.engine().Apply(ctx, missing)
	require.ErrorIs(t, err, pat.ErrNotFound)

	_, err = policy.NewLeaseLocker(nil, "a", 1, nil)
	require.ErrorIs(t, err, policy.ErrInvalidArgument)
}

// Two spellings of one secret are one store: a config naming it twice is
// refused, and so is an engine asked to write it for two targets. (Issue
// 17.6: the identity is secrets.Identity's, here a file store reached
// through a cleaned path and through a symlinked directory.)
func TestSharedStoreUnderAnotherSpelling(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	dir := t.TempDir()
	require.NoError(t, os.Symlink(dir, dir+"-link"))
	spellings := []string{"file://" + dir + "/./svc", "file://" + dir + "-link/svc"}
	a := w.target("SVC", policy.Production(), 0)
	a.Stores = []string{"file://" + dir + "/svc"}
	b := w.target("OTHER", policy.Production(), 0)
	for _, other := range spellings {
		b.Stores = []string{other}
		err := (&policy.Config{Targets: []policy.Target{a, b}}).Validate()
		require.ErrorIs(t, err, policy.ErrSharedStore, other)

		e := w.engine(func(o *policy.Options) { o.OpenStore = secrets.OpenStore })
		_, err = e.Apply(ctx, a)
		require.NoError(t, err)
		_, err = e.Apply(ctx, b)
		require.ErrorIs(t, err, policy.ErrSharedStore, other)
		require.Empty(t, w.Tokens("OTHER"))
		require.NoError(t, e.Close())
	}
}
