package policy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// One store refusing writes for longer than the grace does not hold the
// healthy stores back: they get the verified new secret at once, so their
// consumers never hold a secret that expires before its replacement; the
// failing store is reported on every pass and repaired when it recovers.
// (Issue 14.4.)
func TestStoresAreIndependent(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 0)
	tg.Stores = []string{"mem://" + t.Name() + "#healthy", "mem://" + t.Name() + "#down"}
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	old, _ := w.stored(tg, 0)
	w.Clock.Step(91 * policy.Day)

	w.faults.Fail(memstore.Match{Store: tg.Stores[1], Times: memstore.Always}, errInjected) // reads and writes
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, policy.ErrFailed)
	require.ErrorIs(t, err, errInjected)
	require.Contains(t, err.Error(), "#down")
	require.NotContains(t, err.Error(), "#healthy")
	healthy, _ := w.stored(tg, 0)
	require.False(t, healthy.Token.Equal(old.Token), "the healthy store did not get the new secret")

	// Past the grace the old secret is dead; the healthy store's consumers
	// never noticed. The down store is reported every pass.
	base := *w.Server.Config("", pattest.PAT(""))
	for i := 0; i < 3; i++ {
		w.Clock.Step(12 * time.Hour)
		require.NoError(t, pat.Verify(ctx, base, "SVC", healthy.Token))
		_, err = e.Apply(ctx, tg)
		require.ErrorIs(t, err, errInjected)
	}
	require.ErrorIs(t, pat.Verify(ctx, base, "SVC", old.Token), pat.ErrInvalidToken)
	require.Equal(t, 1, w.activeNonRotated("SVC"), "a store that stays down must not cause rotation after rotation")

	w.faults.Clear()
	d, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecover, d.Action)
	w.requireWorks(tg)
	got, _ := w.stored(tg, 1)
	require.True(t, got.Token.Equal(healthy.Token), "the recovered store got the secret the others have")
}

// A store that cannot be read may hold any live generation's secret, so
// no live token is removed on a view without it. Here one store missed a
// blue-green rotation while down; later, the other store is the
// unreadable one, and the generation only it holds is past its grace as
// the readable store sees it: it must be rotated (its secret keeps the
// grace), not removed. (Found by the fault campaign.)
func TestUnreadableStoreKeepsItsGeneration(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := policy.Production()
	p.Strategy = policy.StrategyBlueGreen
	tg := w.target("SVC", p, 0)
	tg.Stores = []string{"mem://" + t.Name() + "#a", "mem://" + t.Name() + "#b"}
	e := w.engine(func(o *policy.Options) { o.Retry = policy.Retry{Attempts: 1} })
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)

	w.Clock.Step(91 * policy.Day)
	w.faults.Fail(memstore.Match{Store: tg.Stores[0], Times: memstore.Always}, errInjected)
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, errInjected)
	onlyB, _ := w.stored(tg, 1)
	w.faults.Clear()

	w.Clock.Step(30 * time.Hour) // past the grace
	w.faults.Fail(memstore.Match{Store: tg.Stores[1], Times: memstore.Always}, errInjected)
	before := w.Tokens("SVC")
	d, err := e.Apply(ctx, tg)
	require.ErrorIs(t, err, errInjected)
	for _, st := range d.Steps {
		require.NotEqual(t, policy.StepRemoveToken, st.Kind, "removed %s on a partial view: %s", st.Token, d.Reason())
	}
	require.Len(t, w.Tokens("SVC"), len(before)+1, "a rotation adds the rotated-out token and removes none")
	base := *w.Server.Config("", pattest.PAT(""))
	require.NoError(t, pat.Verify(ctx, base, "SVC", onlyB.Token), "the unread store's secret still logs in")

	w.faults.Clear()
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	w.requireWorks(tg)
	a, _ := w.stored(tg, 0)
	b, _ := w.stored(tg, 1)
	require.True(t, a.Token.Equal(b.Token))
}

// A grace of 0 is refused: it would expire the old secret the moment a new
// one is minted, so one failed store write would leave consumers with
// nothing. (Issue 14.5.)
func TestGraceMustOutliveAFailedInstall(t *testing.T) {
	p := policy.Production()
	p.Grace, p.ConsumerCacheTTL = 0, 0
	require.ErrorIs(t, p.Validate(), policy.ErrInvalidPolicy)
	require.Contains(t, p.Validate().Error(), "grace")
	p.Grace = 30 * time.Minute
	require.ErrorIs(t, p.Validate(), policy.ErrInvalidPolicy)
}

// A token with less life left than the grace is not rotated with a
// shortened grace (in its last hour that was no grace at all): a new
// generation is added beside it, and the old secret keeps working until
// its own expiry, even when the store write fails. (Issue 14.5.)
func TestLittleLifeLeftAddsInsteadOfShorteningTheGrace(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	old, _ := w.stored(tg, 0)
	// Nobody ran the engine until the token's last half hour.
	w.Clock.Step(100*policy.Day - 30*time.Minute)

	d := e.Plan(ctx, []policy.Target{tg}).Decisions[0]
	require.Equal(t, policy.ActionRotate, d.Action)
	for _, st := range d.Steps {
		require.NotEqual(t, policy.StepRotateToken, st.Kind, "a ROTATE now could keep the old secret for 0 hours")
	}
	require.Equal(t, policy.StepAddToken, d.Steps[0].Kind)
	require.Equal(t, "SVC_PAT_BLUE", d.Steps[0].Token)

	// The store is down: the old secret must still work after the failure.
	w.faults.Fail(memstore.Match{Op: memstore.OpPutPending, Times: memstore.Always}, errInjected)
	_, err = e.Apply(ctx, tg)
	require.Error(t, err)
	base := *w.Server.Config("", pattest.PAT(""))
	require.NoError(t, pat.Verify(ctx, base, "SVC", old.Token), "the old secret was cut off")
	w.faults.Clear()
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	w.requireWorks(tg)

	// The bridge generation is rotated from then on; the old name lapses
	// and is removed.
	w.Clock.Step(2 * policy.Day)
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	for _, tok := range w.Tokens("SVC") {
		require.NotEqual(t, "SVC_PAT", tok.Name, "the lapsed generation was not retired")
	}
	w.requireWorks(tg)
}

// Switching a target from rotate to blue/green (and back) retires the
// token under the old naming after its grace instead of leaving it active
// forever, and the plan tells the truth about the stored secret.
// (Issue 14.6.)
func TestStrategySwitchRetiresTheOldName(t *testing.T) {
	for _, from := range []policy.Strategy{policy.StrategyRotate, policy.StrategyBlueGreen} {
		t.Run(string(from), func(t *testing.T) {
			w := newWorld(t)
			ctx := context.Background()
			p := policy.Production()
			p.Strategy = from
			tg := w.target("SVC", p, 1)
			e := w.engine()
			_, err := e.Apply(ctx, tg)
			require.NoError(t, err)
			oldName := w.Tokens("SVC")[0].Name

			tg.Policy.Strategy = policy.StrategyBlueGreen
			if from == policy.StrategyBlueGreen {
				tg.Policy.Strategy = policy.StrategyRotate
			}
			d := e.Plan(ctx, []policy.Target{tg}).Decisions[0]
			require.Equal(t, policy.ActionNone, d.Action, "a switch alone changes nothing until the next rotation: %s", d.Reason())
			require.NotContains(t, d.Reason(), "no longer works")

			w.Clock.Step(91 * policy.Day)
			_, err = e.Apply(ctx, tg)
			require.NoError(t, err)
			w.requireWorks(tg)
			w.Clock.Step(25 * time.Hour) // past the grace
			_, err = e.Apply(ctx, tg)
			require.NoError(t, err)
			for _, tok := range w.Tokens("SVC") {
				if tok.Status == pat.StatusActive && !tok.IsRotated() {
					require.NotEqual(t, oldName, tok.Name, "the old generation is still active after its grace")
				}
			}
			require.Equal(t, 1, w.activeNonRotated("SVC"))
			w.requireWorks(tg)
		})
	}
}

// A raw stored value with whitespace around it is flagged and rewritten:
// a BI tool that sends it verbatim is refused. (Issue 14.7.)
func TestWhitespaceAroundRawSecretRepaired(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	tg.Format = pat.FormatRaw
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	v, err := w.Store(tg.Stores[0]).Current(ctx)
	require.NoError(t, err)
	_, err = w.Store(tg.Stores[0]).Put(ctx, []byte("  "+string(v.Value())+"\r\n"), nil)
	require.NoError(t, err)

	d := e.Plan(ctx, []policy.Target{tg}).Decisions[0]
	require.Equal(t, policy.ActionRecover, d.Action)
	require.Contains(t, d.Reason(), "whitespace")
	require.True(t, hasFinding(d, "stored-secret-mismatch", policy.SeverityError))
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	got, err := w.Store(tg.Stores[0]).Current(ctx)
	require.NoError(t, err)
	require.Equal(t, strings.TrimSpace(string(got.Value())), string(got.Value()))
	require.Equal(t, 0, w.Count(policy.EventRotated), "the same secret, rewritten")
}

// Findings the README promises: the account's maximum lifetime, and a role
// restriction the user no longer has, which blocks instead of reporting
// nothing to do while the stored secret cannot log in. (Issue 14.7.)
func TestPolicyAndRoleFindings(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)

	w.exec("CREATE AUTHENTICATION POLICY short_lived PAT_POLICY = (MAX_EXPIRY_IN_DAYS = 30)",
		"ALTER USER SVC SET AUTHENTICATION POLICY short_lived")
	d := e.Plan(ctx, []policy.Target{tg}).Decisions[0]
	require.True(t, hasFinding(d, "lifetime-above-maximum", policy.SeverityError), "%+v", d.Findings)
	w.exec("ALTER USER SVC UNSET AUTHENTICATION POLICY")

	w.exec("REVOKE ROLE bi_reader FROM USER SVC")
	d = e.Plan(ctx, []policy.Target{tg}).Decisions[0]
	require.Equal(t, policy.ActionBlocked, d.Action, d.Reason())
	require.True(t, hasFinding(d, "token-cannot-log-in", policy.SeverityError), "%+v", d.Findings)
	require.ErrorIs(t, d.Err(), pat.ErrRoleNotGranted)
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, pat.ErrRoleNotGranted)

	// Restricted to a role the user has, the replacement is added beside
	// the dead token.
	w.exec("CREATE ROLE IF NOT EXISTS bi_writer", "GRANT ROLE bi_writer TO USER SVC")
	tg.Policy.RoleRestriction = "BI_WRITER"
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecreate, d.Action, d.Reason())
	w.requireWorks(tg)
}

// A token disabled outside snowpat blocks its target with a finding that
// says what to do, unless the policy opts into replacing it; a disabled
// user always blocks. (Issue 14.10.)
func TestDisabledOutsideSnowpat(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 1)
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.NoError(t, w.Admin.Disable(ctx, "SVC", "SVC_PAT"))
	for i := 0; i < 2; i++ {
		d, err := e.Apply(ctx, tg)
		require.ErrorIs(t, err, pat.ErrTokenDisabled)
		require.Equal(t, policy.ActionBlocked, d.Action)
		require.True(t, hasFinding(d, "token-disabled", policy.SeverityError))
		require.Contains(t, d.Reason(), "SET DISABLED = FALSE")
		require.Contains(t, d.Reason(), "replaceDisabled")
	}
	require.Equal(t, 0, w.Count(policy.EventCreated)-1, "a disabled token came back with a new secret")

	w.exec("ALTER USER SVC SET DISABLED = TRUE")
	tg.Policy.ReplaceDisabled = true
	d, err := e.Apply(ctx, tg)
	require.ErrorIs(t, err, pat.ErrUserDisabled)
	require.Equal(t, policy.ActionBlocked, d.Action)

	w.exec("ALTER USER SVC SET DISABLED = FALSE")
	d, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRecreate, d.Action)
	w.requireWorks(tg)
}
