package policy_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
)

// reasonCase is one representative decision and the reason a person is
// shown for it, exactly.
type reasonCase struct {
	name   string
	tg     policy.Target
	o      policy.Observed
	action policy.Action
	reason string
}

// reasonCases covers every way Evaluate words a reason: each action, both
// causes of a due time (the interval and the lead), the decisions built
// from their steps (retire, push), and blocked ones with their causes.
func reasonCases() []reasonCase {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}}
	tg.Policy.RoleRestriction = "R"
	with := func(f func(*policy.Target)) policy.Target {
		c := tg
		c.Policy.WarnBefore = append([]time.Duration(nil), tg.Policy.WarnBefore...)
		f(&c)
		return c
	}
	fresh := activeTok(t0.Add(-10*policy.Day), 100)
	old := activeTok(t0.Add(-90*policy.Day), 100)
	short := activeTok(t0.Add(-10*policy.Day), 15)
	lead := activeTok(t0.Add(-10*policy.Day), 95) // the lead comes before the interval
	unrestricted := old
	unrestricted.RoleRestriction = ""
	expired := activeTok(t0.Add(-200*policy.Day), 100)
	expired.Status = pat.StatusExpired
	disabled := fresh
	disabled.Status = pat.StatusDisabled
	weird := fresh
	weird.Status = "SUSPENDED"
	warnTok := activeTok(t0.Add(-85*policy.Day), 95)
	warnHours := activeTok(t0.Add(-(95*policy.Day - 20*time.Hour)), 95)
	noRole := fresh
	noRole.RoleRestriction = "OTHER"

	retiring := observedWith(&fresh, storedAs("APP", "ACTIVE"))
	retiring.Tokens = append(retiring.Tokens,
		pat.Token{Name: "APP_ROTATED_1", RotatedTo: "APP", Status: pat.StatusExpired},
		pat.Token{Name: "APP_BLUE", Status: pat.StatusActive, RoleRestriction: "R", CreatedOn: t0.Add(-40 * policy.Day), ExpiresAt: t0.Add(60 * policy.Day)})
	retiring.Stores[0].Previous = storedAs("APP_ROTATED_1", "EXPIRED")

	pushing := observedWith(&fresh, storedAs("APP", "ACTIVE"))
	pushing.Pushes = []policy.PushState{{URL: "tableau://a/site"}, {URL: "powerbi://b/ws"}}

	pending := observedWith(&fresh, storedAs("APP", "ACTIVE"))
	pending.Stores[0].Pending = storedAs("APP", "ACTIVE")

	twoStores := observedWith(&fresh, storedAs("APP", "ACTIVE"))
	twoStores.Stores = append(twoStores.Stores, policy.StoreState{URL: "mem://y", Err: errors.New("down")})

	maxDays := observedWith(&old, storedAs("APP", "ACTIVE"))
	maxDays.PATPolicy = &pat.PATPolicy{MaxExpiryDays: 30}

	rolesKnown := observedWith(&noRole, storedAs("APP", "ACTIVE"))
	rolesKnown.GrantedRoles, rolesKnown.RolesKnown = []string{"R"}, true

	return []reasonCase{
		{"nothing due, by the interval", tg, observedWith(&fresh, storedAs("APP", "ACTIVE")), policy.ActionNone, "next rotation 2026-05-20 12:00 UTC: rotation interval (90d) reached"},
		// This one used to be cut at the colon of the expiry's time:
		// "next rotation 2026-05-18 12:00 UTC: expiry 2026-05-25 12".
		{"nothing due, by the lead", tg, observedWith(&lead, storedAs("APP", "ACTIVE")), policy.ActionNone, "next rotation 2026-05-18 12:00 UTC: the lead time (7d) before expiry 2026-05-25 12:00 UTC"},
		{"warning, in days", with(func(c *policy.Target) { c.Policy.RotateBefore, c.Policy.LifetimeDays = 0, 95 }), observedWith(&warnTok, storedAs("APP", "ACTIVE")), policy.ActionWarn, "token APP expires in 10.0d (within the 14d warning); rotation due 2026-03-06 12:00 UTC"},
		{"warning, in hours", with(func(c *policy.Target) {
			c.Policy.RotateBefore, c.Policy.LifetimeDays, c.Policy.RotateEvery = 0, 95, 96*policy.Day
		}), observedWith(&warnHours, storedAs("APP", "ACTIVE")), policy.ActionWarn, "token APP expires in 20h0m0s (within the 1d warning); rotation due 2026-03-02 08:00 UTC"},
		{"rotation, by the interval", tg, observedWith(&old, storedAs("APP", "ACTIVE")), policy.ActionRotate, "rotation interval (90d) reached: created 2025-12-01 12:00 UTC"},
		{"rotation, by the lead, lifetime changed", tg, observedWith(&short, storedAs("APP", "ACTIVE")), policy.ActionRotate, "expiry 2026-03-06 12:00 UTC is within the lead time (7d); policy changed: the token lives 15d, the policy says 100d"},
		{"rotation, by the interval, role changed", tg, observedWith(&unrestricted, storedAs("APP", "ACTIVE")), policy.ActionRotate, "rotation interval (90d) reached: created 2025-12-01 12:00 UTC; policy changed: the token is restricted to no role, the policy says R"},
		{"rotation, blue-green", with(func(c *policy.Target) { c.Policy.Strategy = policy.StrategyBlueGreen }), observedWith(&old, storedAs("APP", "ACTIVE")), policy.ActionRotate, "rotation interval (90d) reached: created 2025-12-01 12:00 UTC"},
		{"retire", tg, retiring, policy.ActionRetire, "token APP_ROTATED_1 is expired; token APP_BLUE is idle past its grace; mem://x keeps a previous secret that no longer works"},
		{"push", tg, pushing, policy.ActionPush, "the current secret has not reached tableau://a/site, powerbi://b/ws"},
		{"create", tg, observedWith(nil, nil), policy.ActionCreate, "token APP does not exist"},
		{"recreate, removed", tg, observedWith(nil, storedAs("APP", "REMOVED")), policy.ActionRecreate, "token APP was removed outside snowpat; the stored secret no longer works"},
		{"recreate, expired", tg, observedWith(&expired, storedAs("APP", "EXPIRED")), policy.ActionRecreate, "token APP expired at 2025-11-21 12:00 UTC"},
		{"recreate, disabled", with(func(c *policy.Target) { c.Policy.ReplaceDisabled = true }), observedWith(&disabled, storedAs("APP", "DISABLED")), policy.ActionRecreate, "token APP was disabled outside snowpat; the policy replaces disabled tokens"},
		{"recreate, cannot log in", tg, rolesKnown, policy.ActionRecreate, "token APP cannot log in: role OTHER is not granted to user SVC"},
		{"recover, finish", tg, pending, policy.ActionRecover, "a rotation was left half-done: mem://x holds a pending secret; finish with the secret mem://x holds"},
		{"recover, mint", tg, observedWith(&fresh, storedAs("APP_ROTATED_1", "ACTIVE")), policy.ActionRecover, "mem://x holds the secret of APP_ROTATED_1 (ACTIVE), not of the active token APP; no store holds the active secret: mint a new one"},
		{"revoke", with(func(c *policy.Target) { c.Compromised, c.Incident = true, "INC-1" }), observedWith(&fresh, storedAs("APP", "ACTIVE")), policy.ActionRevokeAndRecreate, "compromised (incident INC-1): revoke APP and every other token of the target now, then issue a new token"},
		{"partial view", tg, twoStores, policy.ActionNone, "next rotation 2026-05-20 12:00 UTC: rotation interval (90d) reached"},
		{"blocked, user", tg, policy.Observed{UserErr: pat.ErrNotFound}, policy.ActionBlocked, "cannot describe user SVC: pat: not found"},
		{"blocked, disabled", tg, observedWith(&disabled, storedAs("APP", "DISABLED")), policy.ActionBlocked, "token APP was disabled outside snowpat; snowpat does not undo an administrator's act: enable it (ALTER USER SVC MODIFY PROGRAMMATIC ACCESS TOKEN APP SET DISABLED = FALSE), or declare an incident on the target (compromised with compromisedAt) to replace it and remove the disabled one; the policy option replaceDisabled replaces disabled tokens unattended"},
		{"blocked, status", tg, observedWith(&weird, storedAs("APP", "ACTIVE")), policy.ActionBlocked, "token APP has a status snowpat does not know: \"SUSPENDED\""},
		{"blocked, store", tg, policy.Observed{User: &pat.UserInfo{Name: "SVC"}, Stores: []policy.StoreState{{URL: "mem://x", Err: errors.New("down")}}}, policy.ActionBlocked, "cannot read store mem://x: down"},
		{"blocked, cannot rotate", with(func(c *policy.Target) { c.Policy.MaxTokens = 1 }), observedWith(&old, storedAs("APP", "ACTIVE")), policy.ActionBlocked, "rotation interval (90d) reached: created 2025-12-01 12:00 UTC; cannot rotate: pat: token limit reached: user SVC would have 2 of 1 tokens (disabled and rotated-out tokens count); remove the ones no one uses"},
		{"blocked, cannot add", with(func(c *policy.Target) { c.Policy.Strategy = policy.StrategyBlueGreen }), maxDays, policy.ActionBlocked, "rotation interval (90d) reached: created 2025-12-01 12:00 UTC; cannot rotate: policy: invalid policy: the policy's lifetime of 100 days exceeds the account's MAX_EXPIRY_IN_DAYS of 30"},
	}
}

// The reason a decision gives is exactly what a person was shown before
// reasons were formatted on demand, for every kind of decision; a blocked
// decision's error reads the same.
func TestReasons(t *testing.T) {
	for _, c := range reasonCases() {
		t.Run(c.name, func(t *testing.T) {
			d := policy.Evaluate(t0, c.tg, c.o)
			require.Equal(t, c.action, d.Action)
			require.Equal(t, c.reason, d.Reason())
			if d.Action == policy.ActionBlocked {
				require.EqualError(t, d.Err(), c.reason)
			}
		})
	}
}

// A plan marshals as it always has: each decision with the same keys in
// the same order, the reason among them.
func TestDecisionJSON(t *testing.T) {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}}
	tg.Policy.RoleRestriction = "R"
	old := activeTok(t0.Add(-90*policy.Day), 100)
	fresh := activeTok(t0.Add(-10*policy.Day), 100)
	partial := observedWith(&fresh, storedAs("APP", "ACTIVE"))
	partial.Stores = append(partial.Stores, policy.StoreState{URL: "mem://y", Err: errors.New("down")})
	plan := policy.Plan{At: t0, Decisions: []policy.Decision{
		policy.Evaluate(t0, tg, observedWith(&old, storedAs("APP", "ACTIVE"))),
		policy.Evaluate(t0, tg, partial),
		policy.Evaluate(t0, tg, policy.Observed{UserErr: pat.ErrNotFound}),
	}}
	b, err := json.Marshal(plan)
	require.NoError(t, err)
	require.Equal(t, `{"at":"2026-03-01T12:00:00Z","decisions":[{"target":"SVC/APP","action":"rotate","due":"2026-03-01T12:00:00Z","reason":"rotation interval (90d) reached: created 2025-12-01 12:00 UTC","token":"APP","expiresAt":"2026-03-11T12:00:00Z","steps":[{"kind":"rotate-token","token":"APP","graceHours":24,"lifetimeDays":100,"why":"the old secret keeps working for the grace"},{"kind":"store-pending","store":"mem://x"},{"kind":"verify","why":"as SVC, as a consumer would"},{"kind":"promote","store":"mem://x","ifCurrent":"v1"}]},{"target":"SVC/APP","action":"none","due":"2026-05-20T12:00:00Z","reason":"next rotation 2026-05-20 12:00 UTC: rotation interval (90d) reached","token":"APP","expiresAt":"2026-05-30T12:00:00Z","findings":[{"severity":"error","code":"store-unreadable","message":"cannot read store mem://y: down; the other stores go on without it"}]},{"target":"SVC/APP","action":"blocked","due":"2026-03-01T12:00:00Z","reason":"cannot describe user SVC: pat: not found","token":"APP"}]}`, string(b))
}
