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
)

// An incident acts exactly once, however the revocation is interrupted:
// the replacement always carries the incident's marker, so the pass after
// it never revokes it again, and every token that could hold the leaked
// secret — including a rotated-out one — is gone. (Issue 14.1, 17.1, 17.2.)
func TestCompromiseActsExactlyOnce(t *testing.T) {
	refused := func(w *world) {
		w.Server.Inject(pattest.Fault{Match: `\bADD\b`, Times: 10, Err: &pattest.Error{Code: "000630", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}})
	}
	lost := func(w *world) { w.Server.Inject(pattest.Fault{Match: `\bADD\b`, LoseResponse: true}) }
	for _, c := range []struct {
		name string
		arm  func(w *world)
		// gone makes the token vanish from SHOW before the incident.
		gone bool
	}{
		{name: "ADD refused", arm: refused},
		{name: "ADD answer lost", arm: lost},
		{name: "token already gone from SHOW", gone: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			tg := w.target("SVC", policy.Production(), 2)
			ctx := context.Background()
			e := w.engine(func(o *policy.Options) { o.Retry = policy.Retry{Attempts: 1} })
			_, err := e.Apply(ctx, tg)
			require.NoError(t, err)
			first, _ := w.stored(tg, 0)
			w.Clock.Step(91 * policy.Day) // a scheduled rotation after the leak
			_, err = e.Apply(ctx, tg)
			require.NoError(t, err)
			second, _ := w.stored(tg, 0)
			leaked := []pat.Secret{first.Token, second.Token}
			if c.gone {
				w.Clock.Step(150 * policy.Day) // expired, and out of SHOW after 30 days
				require.Empty(t, w.Tokens("SVC"))
			}

			tg.Compromised, tg.CompromisedAt = true, w.Clock.Now().Add(-100*policy.Day)
			if c.arm != nil {
				c.arm(w)
				_, err = e.Apply(ctx, tg)
				require.Error(t, err, "the fault must interrupt the revocation")
				w.Server.ClearFaults()
			}
			d, err := e.Apply(ctx, tg)
			require.NoError(t, err, "%s: %s", d.Action, d.Reason())
			w.requireWorks(tg)
			w.requireDead("SVC", leaked...)
			for _, tok := range w.Tokens("SVC") {
				if !tok.IsRotated() {
					require.Contains(t, tok.Comment, "[snowpat:incident=", "the replacement must carry the marker")
				}
			}
			revoked := w.Count(policy.EventRevoked)
			// Pass after pass, with the flag left set and time moving, the
			// replacement is never revoked again.
			for i := 0; i < 3; i++ {
				w.Clock.Step(2 * policy.Day)
				d, err = e.Apply(ctx, tg)
				require.NoError(t, err)
				require.NotEqual(t, policy.ActionRevokeAndRecreate, d.Action, d.Reason())
				require.True(t, hasFinding(d, "compromise-handled", policy.SeverityWarning))
				w.requireWorks(tg)
			}
			require.Equal(t, revoked, w.Count(policy.EventRevoked))
		})
	}
}

// The leaked secret lives on in a rotated-out token after a scheduled
// rotation; declaring the incident with the leak's time removes it too.
// (Issue 17.2.)
func TestCompromiseRemovesRotatedOutSecret(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	ctx := context.Background()
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	leakAt := w.Clock.Now()
	leaked, _ := w.stored(tg, 0)
	w.Clock.Step(91 * policy.Day)
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	base := *w.Server.Config("", pattest.PAT(""))
	require.NoError(t, pat.Verify(ctx, base, "SVC", leaked.Token), "within the grace the rotated-out secret still works")

	tg.Compromised, tg.CompromisedAt = true, leakAt
	d, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionRevokeAndRecreate, d.Action)
	require.ErrorIs(t, pat.Verify(ctx, base, "SVC", leaked.Token), pat.ErrInvalidToken)
	w.requireWorks(tg)
	// The stored copies of the compromised secrets are erased, not kept as
	// previous versions.
	s := w.Store(tg.Stores[0])
	infos, err := s.List(ctx)
	require.NoError(t, err)
	for _, v := range infos {
		if v.Stage == 1 { // current
			continue
		}
		if got, err := s.ByID(ctx, v.ID); err == nil {
			st, _ := pat.DecodeStored(got.Value())
			require.False(t, st.Token.Equal(leaked.Token), "a compromised secret is still readable in version %s", v.ID)
		}
	}
}

// A compromise on a target switched between strategies revokes every
// generation, under either naming. (Issue 14.6.)
func TestCompromiseAfterStrategySwitch(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	ctx := context.Background()
	e := w.engine()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	old, _ := w.stored(tg, 0)
	tg.Policy.Strategy = policy.StrategyBlueGreen
	w.Clock.Step(91 * policy.Day)
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	blue, _ := w.stored(tg, 0)
	require.Equal(t, "SVC_PAT_BLUE", blue.TokenName)
	base := *w.Server.Config("", pattest.PAT(""))
	require.NoError(t, pat.Verify(ctx, base, "SVC", old.Token), "the old name keeps working for its grace")

	tg.Compromised, tg.Incident = true, "INC-42"
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	w.requireDead("SVC", old.Token, blue.Token)
	w.requireWorks(tg)
}

// requireDead asserts that none of the secrets logs in as user.
func (w *world) requireDead(user string, dead ...pat.Secret) {
	w.t.Helper()
	base := *w.Server.Config("", pattest.PAT(""))
	for i, s := range dead {
		require.ErrorIs(w.t, pat.Verify(context.Background(), base, user, s), pat.ErrInvalidToken, "secret %d still logs in", i)
	}
}

// An incident must be identified, so that it acts exactly once.
func TestCompromiseNeedsAnIdentity(t *testing.T) {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}, Compromised: true}
	tg.Policy.RoleRestriction = "R"
	err := tg.Validate()
	require.ErrorIs(t, err, policy.ErrInvalidTarget)
	require.Contains(t, err.Error(), "compromisedAt")
	tg.Incident = "INC 1" // a space
	require.ErrorIs(t, tg.Validate(), policy.ErrInvalidTarget)
	tg.Incident = "INC-1"
	require.NoError(t, tg.Validate())
	tg.Incident, tg.CompromisedAt = "", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	require.NoError(t, tg.Validate())
	require.True(t, strings.HasPrefix(policy.Evaluate(time.Now(), tg, policy.Observed{User: &pat.UserInfo{Name: "SVC"}}).Reason(), "compromised (incident 20260102T030405Z"))
}
