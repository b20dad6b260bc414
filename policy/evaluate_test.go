package policy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func activeTok(created time.Time, days int) pat.Token {
	return pat.Token{Name: "APP", UserName: "SVC", RoleRestriction: "R", Status: pat.StatusActive,
		CreatedOn: created, ExpiresAt: created.Add(time.Duration(days) * policy.Day)}
}

func storedAs(name, state string) *policy.StoredVersion {
	return &policy.StoredVersion{ID: "v1", Token: pat.StoredToken{Token: pat.NewSecret("s-" + name), Format: pat.FormatJSON},
		Snowflake: &pat.DecodedToken{State: state, TokenName: name, UserName: "SVC"}}
}

func observedWith(tok *pat.Token, cur *policy.StoredVersion) policy.Observed {
	o := policy.Observed{User: &pat.UserInfo{Name: "SVC", Type: "SERVICE", NetworkPolicy: "NP"}}
	if tok != nil {
		o.Tokens = []pat.Token{*tok}
	}
	o.Stores = []policy.StoreState{{URL: "mem://x", Current: cur}}
	return o
}

func TestEvaluate(t *testing.T) {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}}
	tg.Policy.RoleRestriction = "R"
	fresh := activeTok(t0.Add(-10*policy.Day), 100)
	old := activeTok(t0.Add(-90*policy.Day), 100)
	short := activeTok(t0.Add(-10*policy.Day), 15) // lifetime shorter than the policy's
	expired := activeTok(t0.Add(-200*policy.Day), 100)
	expired.Status = pat.StatusExpired
	disabled := fresh
	disabled.Status = pat.StatusDisabled
	weird := fresh
	weird.Status = "SUSPENDED"

	cases := []struct {
		name   string
		tg     policy.Target
		o      policy.Observed
		want   policy.Action
		reason string
	}{
		{"nothing due", tg, observedWith(&fresh, storedAs("APP", "ACTIVE")), policy.ActionNone, "next rotation"},
		{"interval reached", tg, observedWith(&old, storedAs("APP", "ACTIVE")), policy.ActionRotate, "rotation interval (90d) reached"},
		{"expiry within lead, policy changed", tg, observedWith(&short, storedAs("APP", "ACTIVE")), policy.ActionRotate, "policy changed"},
		{"no token, nothing stored", tg, observedWith(nil, nil), policy.ActionCreate, "does not exist"},
		{"no token, something stored", tg, observedWith(nil, storedAs("APP", "REMOVED")), policy.ActionRecreate, "removed outside snowpat"},
		{"expired", tg, observedWith(&expired, storedAs("APP", "EXPIRED")), policy.ActionRecreate, "expired"},
		{"disabled", tg, observedWith(&disabled, storedAs("APP", "DISABLED")), policy.ActionBlocked, "disabled outside snowpat"},
		{"disabled, replaced by choice", func() policy.Target { c := tg; c.Policy.ReplaceDisabled = true; return c }(), observedWith(&disabled, storedAs("APP", "DISABLED")), policy.ActionRecreate, "disabled outside snowpat"},
		{"unknown status", tg, observedWith(&weird, storedAs("APP", "ACTIVE")), policy.ActionBlocked, "does not know"},
		{"store holds a rotated-out secret", tg, observedWith(&fresh, storedAs("APP_ROTATED_1", "ACTIVE")), policy.ActionRecover, "not of the active token"},
		{"store holds nothing", tg, observedWith(&fresh, nil), policy.ActionRecover, "holds no secret"},
		{"store holds garbage", tg, observedWith(&fresh, &policy.StoredVersion{ID: "v", DecodeErr: errors.New("malformed")}), policy.ActionRecover, "cannot read"},
		{"store holds an unknown secret", tg, observedWith(&fresh, &policy.StoredVersion{ID: "v", SnowflakeErr: pat.ErrInvalidToken}), policy.ActionRecover, "does not recognise"},
		{"compromised", func() policy.Target { c := tg; c.Compromised, c.Incident = true, "INC-1"; return c }(), observedWith(&fresh, storedAs("APP", "ACTIVE")), policy.ActionRevokeAndRecreate, "compromised"},
		{"compromised and handled", func() policy.Target { c := tg; c.Compromised, c.Incident = true, "INC-1"; return c }(), observedWith(func() *pat.Token {
			c := fresh
			c.Comment = "snowpat: issued after incident [snowpat:incident=INC-1]"
			return &c
		}(), storedAs("APP", "ACTIVE")), policy.ActionNone, ""},
		{"user missing", tg, policy.Observed{UserErr: pat.ErrNotFound}, policy.ActionBlocked, "cannot describe user"},
		{"store unreadable", tg, policy.Observed{User: &pat.UserInfo{Name: "SVC"}, Stores: []policy.StoreState{{URL: "mem://x", Err: errors.New("down")}}}, policy.ActionBlocked, "cannot read store"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := policy.Evaluate(t0, c.tg, c.o)
			require.Equal(t, c.want, d.Action, d.Reason())
			require.Contains(t, d.Reason(), c.reason)
			require.Equal(t, tg.ID(), d.Target)
		})
	}

	t.Run("pending means a half-done rotation", func(t *testing.T) {
		o := observedWith(&fresh, storedAs("APP", "ACTIVE"))
		o.Stores[0].Pending = storedAs("APP", "ACTIVE")
		require.Equal(t, policy.ActionRecover, policy.Evaluate(t0, tg, o).Action)
	})
	t.Run("warnings", func(t *testing.T) {
		p := tg
		p.Policy.RotateBefore = 0 // rotate only by age, so expiry can come close
		p.Policy.LifetimeDays = 95
		tok := activeTok(t0.Add(-85*policy.Day), 95) // 10 days left, interval in 5
		d := policy.Evaluate(t0, p, observedWith(&tok, storedAs("APP", "ACTIVE")))
		require.Equal(t, policy.ActionWarn, d.Action)
		require.Contains(t, d.Reason(), "within the 14d warning")
		require.Equal(t, tok.CreatedOn.Add(90*policy.Day), d.Due)
	})
	t.Run("due time is the earlier of interval and lead", func(t *testing.T) {
		d := policy.Evaluate(t0, tg, observedWith(&fresh, storedAs("APP", "ACTIVE")))
		require.Equal(t, fresh.CreatedOn.Add(90*policy.Day), d.Due)
		d = policy.Evaluate(t0, tg, observedWith(&short, storedAs("APP", "ACTIVE")))
		require.Equal(t, short.ExpiresAt.Add(-7*policy.Day), d.Due)
	})
	t.Run("retire lapsed rotations", func(t *testing.T) {
		o := observedWith(&fresh, storedAs("APP", "ACTIVE"))
		lapsed := pat.Token{Name: "APP_ROTATED_1", RotatedTo: "APP", Status: pat.StatusExpired}
		o.Tokens = append(o.Tokens, lapsed)
		o.Stores[0].Previous = storedAs("APP_ROTATED_1", "EXPIRED")
		d := policy.Evaluate(t0, tg, o)
		require.Equal(t, policy.ActionRetire, d.Action)
		require.Contains(t, d.Reason(), "APP_ROTATED_1 is expired")
		require.Equal(t, []policy.Step{
			{Kind: policy.StepRemoveToken, Token: "APP_ROTATED_1", Why: "expired"},
			{Kind: policy.StepRetireVersion, Store: "mem://x", Version: "v1", Why: "the previous secret no longer works"},
		}, d.Steps)
	})
	t.Run("pure: same input, same output", func(t *testing.T) {
		o := observedWith(&old, storedAs("APP", "ACTIVE"))
		require.Equal(t, policy.Evaluate(t0, tg, o), policy.Evaluate(t0, tg, o))
	})
}

func TestFindings(t *testing.T) {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}}
	tok := activeTok(t0.Add(-10*policy.Day), 100)
	tok.RoleRestriction = ""
	o := observedWith(&tok, storedAs("APP_ROTATED_9", "ACTIVE"))
	o.User = &pat.UserInfo{Name: "SVC", Type: ""}
	o.PATPolicy = &pat.PATPolicy{MaxExpiryDays: 30}
	for i := 0; i < 12; i++ {
		o.Tokens = append(o.Tokens, pat.Token{Name: "X", RotatedTo: "APP", Status: pat.StatusExpired})
		o.Tokens = append(o.Tokens, pat.Token{Name: "Y", Status: pat.StatusDisabled})
	}
	d := policy.Evaluate(t0, tg, o)
	codes := map[string]bool{}
	for _, f := range d.Findings {
		codes[f.Code] = true
	}
	for _, want := range []string{"not-service-user", "no-network-policy", "no-role-restriction", "lifetime-above-maximum",
		"near-token-limit", "rotated-tokens-lingering", "stored-secret-mismatch"} {
		require.True(t, codes[want], "missing finding %s in %+v", want, d.Findings)
	}
}

// Version ids are each store's own: a stale pending version in one store
// that happens to share its id with the secret another store holds is
// still retired. (Found by the fault campaign, seed 20261518.)
func TestRecoverRetiresPendingWhateverItsID(t *testing.T) {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://a", "mem://b"}}
	tg.Policy.RoleRestriction = "R"
	tok := activeTok(t0.Add(-10*policy.Day), 100)
	o := observedWith(&tok, storedAs("APP", "ACTIVE"))
	o.Stores[0].Current.ID = "3"
	stale := storedAs("APP_ROTATED_1", "EXPIRED")
	stale.ID = "3"
	o.Stores = append(o.Stores, policy.StoreState{URL: "mem://b", Current: storedAs("APP", "ACTIVE"), Pending: stale})
	d := policy.Evaluate(t0, tg, o)
	require.Equal(t, policy.ActionRecover, d.Action, d.Reason())
	require.Contains(t, d.Steps, policy.Step{Kind: policy.StepRetireVersion, Store: "mem://b", Version: "3", Why: "a stale pending secret"})
}
