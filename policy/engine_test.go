package policy_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// TestSimulatedYear runs each preset through a year on the fake clock,
// checking every day, before and after the engine runs, that the secret
// in every store logs in: no token ever expires while in use.
func TestSimulatedYear(t *testing.T) {
	for _, c := range []struct {
		preset    policy.Policy
		rotations int
	}{{policy.Production(), 4}, {policy.Development(), 2}} {
		t.Run(c.preset.Name, func(t *testing.T) {
			w := newWorld(t)
			tg := w.target("SVC", c.preset, 2)
			e := w.engine()
			defer e.Close()
			ctx := context.Background()
			_, err := e.Apply(ctx, tg)
			require.NoError(t, err)
			base := *w.Server.Config("", pattest.PAT(""))
			for day := 1; day <= 365; day++ {
				w.Clock.Step(policy.Day)
				w.requireWorks(tg)
				cached, _ := w.stored(tg, 0) // what a consumer read before the run
				d, err := e.Apply(ctx, tg)
				require.NoError(t, err, "day %d", day)
				require.NotEqual(t, policy.ActionRecover, d.Action, "day %d: %s", day, d.Reason())
				w.requireWorks(tg)
				// A consumer still holding the secret it read keeps working
				// through the consumer cache TTL after a rotation.
				w.Clock.Step(c.preset.ConsumerCacheTTL)
				require.NoError(t, pat.Verify(ctx, base, "SVC", cached.Token), "day %d: the cached secret died within the cache TTL", day)
				w.Clock.Step(-c.preset.ConsumerCacheTTL)
				require.Equal(t, 1, w.activeNonRotated("SVC"), "day %d", day)
			}
			require.Equal(t, 1, w.Count(policy.EventCreated))
			require.Equal(t, c.rotations, w.Count(policy.EventRotated))
			require.Equal(t, 0, w.Count(policy.EventFailed))
			// Lapsed rotated-out tokens were cleaned up as they expired.
			for _, tok := range w.Tokens("SVC") {
				require.False(t, tok.IsRotated() && tok.Status == pat.StatusExpired, "lingering %s", tok.Name)
			}
			st, _ := w.stored(tg, 0)
			require.Equal(t, "SVC_PAT", st.TokenName)
			require.Equal(t, "SVC", st.User)
			require.Equal(t, w.Server.Account(), st.Account)
		})
	}
}

// stepFault is one way an apply can be interrupted between two steps.
type stepFault struct {
	name  string
	arm   func(w *world, cancel context.CancelFunc)
	crash bool // the engine is abandoned (its context cancelled)
}

func stepFaults() []stepFault {
	// at is the Match for op on the store whose URL ends in suffix ("" for
	// every store).
	at := func(w *world, suffix string, op memstore.Op) memstore.Match {
		m := memstore.Match{Op: op}
		if suffix != "" {
			m.Store = "mem://" + w.t.Name() + suffix
		}
		return m
	}
	store := func(suffix string, op memstore.Op, after bool) func(*world, context.CancelFunc) {
		return func(w *world, _ context.CancelFunc) {
			if after {
				w.faults.LoseAnswer(at(w, suffix, op), errInjected)
			} else {
				w.faults.Fail(at(w, suffix, op), errInjected)
			}
		}
	}
	crashAt := func(suffix string, op memstore.Op) func(*world, context.CancelFunc) {
		return func(w *world, cancel context.CancelFunc) {
			w.faults.Hook(at(w, suffix, op), func(context.Context) error { cancel(); return nil })
		}
	}
	return []stepFault{
		{name: "ROTATE fails", arm: func(w *world, _ context.CancelFunc) {
			w.Server.Inject(pattest.Fault{Match: "ROTATE", Err: &pattest.Error{Code: "000630", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}})
		}},
		{name: "ROTATE response lost", arm: func(w *world, _ context.CancelFunc) {
			w.Server.Inject(pattest.Fault{Match: "ROTATE", LoseResponse: true})
		}},
		{name: "crash after ROTATE", arm: crashAt("", memstore.OpPutPending), crash: true},
		{name: "first store write fails", arm: store("", memstore.OpPutPending, false)},
		{name: "second store write fails", arm: store("#second", memstore.OpPutPending, false)},
		{name: "second store write response lost", arm: store("#second", memstore.OpPutPending, true)},
		{name: "crash after first store write", arm: crashAt("#second", memstore.OpPutPending), crash: true},
		{name: "verify fails", arm: func(w *world, _ context.CancelFunc) {
			// The login is refused once, as a network blip would.
			var once sync.Once
			w.verifyFault = func(context.Context, string) error {
				err := error(nil)
				once.Do(func() { err = errInjected })
				return err
			}
		}},
		{name: "first promote fails", arm: store("#first", memstore.OpPromote, false)},
		{name: "second promote fails", arm: store("#second", memstore.OpPromote, false)},
		{name: "second promote response lost", arm: store("#second", memstore.OpPromote, true)},
		{name: "crash between promotes", arm: crashAt("#second", memstore.OpPromote), crash: true},
	}
}

// TestFaultAtEveryStep interrupts a due rotation at every step boundary,
// then starts a fresh engine, which must repair it. At no point may the
// stores hold a secret that does not log in, and in the end exactly one
// active token remains and every store agrees.
func TestFaultAtEveryStep(t *testing.T) {
	for _, f := range stepFaults() {
		t.Run(f.name, func(t *testing.T) {
			w := newWorld(t)
			tg := w.target("SVC", policy.Production(), 0)
			tg.Stores = []string{"mem://" + t.Name() + "#first", "mem://" + t.Name() + "#second"}
			setup := w.engine()
			_, err := setup.Apply(context.Background(), tg)
			require.NoError(t, err)
			w.Clock.Step(91 * policy.Day)
			before, _ := w.stored(tg, 0)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f.arm(w, cancel)
			first := w.engine(func(o *policy.Options) { o.Retry = policy.Retry{Attempts: 1} })
			_, err = first.Apply(ctx, tg)
			require.Error(t, err, "the fault must interrupt the first engine")
			if f.crash {
				require.ErrorIs(t, err, context.Canceled)
			}
			w.faults.Clear()
			w.Server.ClearFaults()
			w.requireWorks(tg)

			fresh := w.engine()
			d, err := fresh.Apply(context.Background(), tg)
			require.NoError(t, err, "decision %s: %s", d.Action, d.Reason())
			w.requireWorks(tg)
			require.Equal(t, 1, w.activeNonRotated("SVC"))
			a, _ := w.stored(tg, 0)
			b, _ := w.stored(tg, 1)
			require.True(t, a.Token.Equal(b.Token), "stores disagree")
			require.False(t, a.Token.Equal(before.Token), "no rotation happened")
			for _, url := range tg.Stores {
				_, err := w.Store(url).ByStage(context.Background(), 2) // pending
				require.Error(t, err, "a pending version was left in %s", url)
			}
			// The repaired state is steady: nothing more to do.
			d, err = w.engine().Apply(context.Background(), tg)
			require.NoError(t, err)
			require.Contains(t, []policy.Action{policy.ActionNone, policy.ActionRetire}, d.Action, d.Reason())
			require.NoError(t, first.Close())
			require.NoError(t, fresh.Close())
			require.NoError(t, setup.Close())
		})
	}
}

// TestStoreDownBeyondRetries: a store that stays down longer than the
// retry limit fails the target with a final event; the consumers' secret
// keeps working through the grace, and the next run finishes.
func TestStoreDownBeyondRetries(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	defer e.Close()
	_, err := e.Apply(context.Background(), tg)
	require.NoError(t, err)
	w.Clock.Step(91 * policy.Day)

	down := w.faults.Fail(memstore.Match{Op: memstore.OpPutPending, Times: memstore.Always}, errInjected)
	d, err := e.Apply(context.Background(), tg)
	require.ErrorIs(t, err, policy.ErrFailed)
	require.ErrorIs(t, err, errInjected)
	require.Equal(t, 3, down.Hits())
	require.Equal(t, policy.ActionRecover, d.Action)
	var final int
	for _, ev := range w.Events() {
		if ev.Kind == policy.EventFailed && ev.Final {
			final++
		}
	}
	require.Equal(t, 1, final)
	w.requireWorks(tg)

	w.Clock.Step(time.Hour)
	w.faults.Clear()
	_, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)
	w.requireWorks(tg)
	require.Equal(t, 1, w.activeNonRotated("SVC"))
}

// TestEnginesRacing runs two engines that do not share a lock (two
// processes without a lease) on one due token at the same time, several
// times. They may waste a rotation, but the stores must end up with a
// working secret and Snowflake with one active token.
func TestEnginesRacing(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 2)
	a, b := w.engine(), w.engine()
	defer a.Close()
	defer b.Close()
	_, err := a.Apply(context.Background(), tg)
	require.NoError(t, err)
	for round := 0; round < 3; round++ {
		w.Clock.Step(91 * policy.Day)
		var wg sync.WaitGroup
		for _, e := range []*policy.Engine{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = e.Apply(context.Background(), tg)
			}()
		}
		wg.Wait()
		w.requireWorks(tg)
		// Whatever the interleaving, one more pass settles it.
		_, err := a.Apply(context.Background(), tg)
		require.NoError(t, err)
		w.requireWorks(tg)
		require.Equal(t, 1, w.activeNonRotated("SVC"))
	}
}

func TestLocalLockerRefusesSecondRotator(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	locker := policy.NewLocalLocker()
	held, err := locker.Lock(context.Background(), tg.ID())
	require.NoError(t, err)
	e := w.engine(func(o *policy.Options) { o.Locker = locker })
	defer e.Close()
	_, err = e.Apply(context.Background(), tg)
	require.ErrorIs(t, err, policy.ErrLocked)
	require.NoError(t, held.Unlock(context.Background()))
	_, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)
}

// TestDryRunChangesNothing: Plan only reads.
func TestDryRunChangesNothing(t *testing.T) {
	w := newWorld(t)
	due := w.target("DUE", policy.Production(), 1)
	fresh := w.target("FRESH", policy.Production(), 1)
	e := w.engine()
	defer e.Close()
	_, err := e.Apply(context.Background(), due)
	require.NoError(t, err)
	w.Clock.Step(95 * policy.Day)
	before := w.Server.Counts().Statements
	storeBefore, _ := w.stored(due, 0)

	plan := e.Plan(context.Background(), []policy.Target{due, fresh})
	require.Equal(t, policy.ActionRotate, plan.Decisions[0].Action)
	require.Equal(t, policy.ActionCreate, plan.Decisions[1].Action)
	require.Len(t, plan.Due(), 2)
	table := plan.Table()
	require.Contains(t, table, "rotate")
	require.Contains(t, table, "create")
	js, err := plan.JSON()
	require.NoError(t, err)
	require.Contains(t, string(js), `"action": "rotate"`)
	require.Contains(t, string(js), `"kind": "rotate-token"`, "the dry run shows the steps")
	require.Contains(t, table, "1. rotate token DUE_PAT")

	after := w.Server.Counts().Statements
	for kind, n := range after {
		if n != before[kind] {
			require.Contains(t, []string{"SHOW PATS", "DESCRIBE USER", "SELECT", "SHOW AUTHENTICATION POLICIES", "DESCRIBE AUTHENTICATION POLICY", "SHOW GRANTS"}, kind, "dry run sent %s", kind)
		}
	}
	storeAfter, _ := w.stored(due, 0)
	require.True(t, storeBefore.Token.Equal(storeAfter.Token))
	require.Empty(t, w.Tokens("FRESH"))
}

// TestCompromised revokes at once, does not revoke the replacement again
// while the flag stays set, and acts again, once, for a new incident.
func TestCompromised(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 2)
	e := w.engine()
	defer e.Close()
	_, err := e.Apply(context.Background(), tg)
	require.NoError(t, err)
	// A rotation leaves a rotated-out secret alive for the grace.
	w.Clock.Step(91 * policy.Day)
	_, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)
	leaked, _ := w.stored(tg, 0)
	require.Len(t, w.Tokens("SVC"), 2)

	tg.Compromised = true
	tg.CompromisedAt = w.Clock.Now().Add(-time.Hour)
	d, err := e.Apply(context.Background(), tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRevokeAndRecreate, d.Action)
	base := *w.Server.Config("", pattest.PAT(""))
	require.ErrorIs(t, pat.Verify(context.Background(), base, "SVC", leaked.Token), pat.ErrInvalidToken)
	toks := w.Tokens("SVC")
	require.Len(t, toks, 1, "every rotated-out secret must be gone too")
	require.Contains(t, toks[0].Comment, "incident")
	w.requireWorks(tg)

	// Left set, the flag does not revoke the replacement again: a warning
	// says it can be cleared.
	d, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionNone, d.Action)
	require.True(t, hasFinding(d, "compromise-handled", policy.SeverityWarning))

	// A second incident, identified anew, acts again, once.
	tg.CompromisedAt = w.Clock.Now().Add(time.Minute)
	w.Clock.Step(2 * time.Minute)
	d, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRevokeAndRecreate, d.Action)
	w.requireWorks(tg)
	d, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionNone, d.Action)
}

func hasFinding(d policy.Decision, code string, sev policy.Severity) bool {
	for _, f := range d.Findings {
		if f.Code == code && f.Severity == sev {
			return true
		}
	}
	return false
}

// TestRecreateAfterOutsideChanges: tokens removed or expired behind
// snowpat's back are replaced; a disabled one only when the policy opts in.
func TestRecreateAfterOutsideChanges(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	defer e.Close()
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)

	// Disabled by an administrator: not undone unless the policy says so.
	require.NoError(t, w.Admin.Disable(ctx, "SVC", "SVC_PAT"))
	d, err := e.Apply(ctx, tg)
	require.ErrorIs(t, err, pat.ErrTokenDisabled)
	require.Equal(t, policy.ActionBlocked, d.Action)
	tg.Policy.ReplaceDisabled = true
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecreate, d.Action)
	w.requireWorks(tg)

	require.NoError(t, w.Admin.Remove(ctx, "SVC", "SVC_PAT"))
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecreate, d.Action)
	w.requireWorks(tg)

	// Nobody ran the engine for 120 days: the token expired.
	w.Clock.Step(120 * policy.Day)
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecreate, d.Action)
	w.requireWorks(tg)
}

// TestStoredSecretReplacedOutside: someone wrote another value into the
// store; the engine notices the mismatch and repairs it.
func TestStoredSecretReplacedOutside(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 2)
	e := w.engine()
	defer e.Close()
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	_, err = w.Store(tg.Stores[1]).Put(ctx, []byte("pasted-by-hand\n"), nil)
	require.NoError(t, err)
	d, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecover, d.Action)
	w.requireWorks(tg)
	// The good secret was copied, not rotated.
	require.Equal(t, 0, w.Count(policy.EventRotated))
}

func TestBlueGreenYear(t *testing.T) {
	w := newWorld(t)
	p := policy.Production()
	p.Strategy = policy.StrategyBlueGreen
	tg := w.target("SVC", p, 1)
	e := w.engine()
	defer e.Close()
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	for day := 1; day <= 365; day++ {
		w.Clock.Step(policy.Day)
		w.requireWorks(tg)
		_, err := e.Apply(ctx, tg)
		require.NoError(t, err, "day %d", day)
		w.requireWorks(tg)
		require.LessOrEqual(t, len(w.Tokens("SVC")), 2)
	}
	require.Equal(t, 4, w.Count(policy.EventRotated))
	names := map[string]bool{}
	for _, tok := range w.Tokens("SVC") {
		names[tok.Name] = true
	}
	require.Subset(t, []string{"SVC_PAT_BLUE", "SVC_PAT_GREEN"}, keys(names))
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var _ = errors.New
