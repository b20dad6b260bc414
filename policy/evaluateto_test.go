package policy_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
)

// EvaluateTo gives the decision Evaluate gives, whatever the decision it
// writes into held before — another state of the target, another target,
// blocked with a cause, a partial view with store errors — and changes
// neither the target nor the observation.
func TestEvaluateToIsEvaluate(t *testing.T) {
	cases := func() []reasonCase {
		cs := reasonCases()
		named := cs[0]
		named.name, named.tg.Name = "a named target", "named"
		return append(cs, named)
	}
	for _, backward := range []bool{false, true} {
		cs, fresh := cases(), cases()
		if backward {
			slices.Reverse(cs)
			slices.Reverse(fresh)
		}
		var d policy.Decision
		for i, c := range cs {
			want := policy.Evaluate(t0, c.tg, c.o)
			policy.EvaluateTo(&d, t0, &c.tg, &c.o)
			require.Equal(t, policy.Comparable(want), policy.Comparable(d), c.name)
			require.Equal(t, want.Reason(), d.Reason(), c.name)
			require.Equal(t, want.Err(), d.Err(), c.name)
			require.Equal(t, fresh[i].tg, c.tg, "%s: the target changed", c.name)
			require.Equal(t, fresh[i].o, c.o, "%s: the observation changed", c.name)
		}
	}
}

// allocState is a target in one state, and the observation that puts it
// there.
type allocState struct {
	name   string
	tg     policy.Target
	o      policy.Observed
	action policy.Action
}

func allocStates() []allocState {
	tg := policy.Target{User: "SVC", Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}}
	tg.Policy.RoleRestriction = "R"
	blueGreen := tg
	blueGreen.Policy.Strategy = policy.StrategyBlueGreen
	fresh := activeTok(t0.Add(-10*policy.Day), 100)
	warned := activeTok(t0.Add(-88*policy.Day), 100)
	due := activeTok(t0.Add(-95*policy.Day), 100)
	dueBlue := due
	dueBlue.Name = "APP_BLUE"

	// As Observe reports them: the store's version carries the metadata
	// snowpat writes.
	obs := func(tok pat.Token) policy.Observed {
		cur := storedAs(tok.Name, "ACTIVE")
		cur.Metadata = map[string]string{"snowflake_user": "SVC", "token_name": tok.Name}
		return observedWith(&tok, cur)
	}
	green := fresh
	green.Name = "APP_GREEN"
	retiring := obs(green) // the blue generation is idle past its grace
	retiring.Tokens = append(retiring.Tokens, activeTok(t0.Add(-50*policy.Day), 100))
	retiring.Tokens[1].Name = "APP_BLUE"

	return []allocState{
		{"nothing due", tg, obs(fresh), policy.ActionNone},
		{"warning", tg, obs(warned), policy.ActionWarn},
		{"rotation due", tg, obs(due), policy.ActionRotate},
		{"rotation due, blue-green", blueGreen, obs(dueBlue), policy.ActionRotate},
		{"retire, blue-green", blueGreen, retiring, policy.ActionRetire},
	}
}

// Evaluating a target again into the decision kept for it allocates
// nothing in the states a pass mostly meets: nothing due, a warning, a
// rotation due (under either strategy), the clean-up after one. (What does
// allocate: the first evaluation into a fresh decision, which grows its
// arrays and builds the strings it keeps; findings, whose messages are
// formatted — among them the note on expired rotated-out tokens still
// listed, which the rotate strategy's clean-up carries; blocked, repair,
// incident, create and recreate decisions, whose reasons carry errors and
// details; push destinations, whose received secret is compared by
// fingerprint; a partial view.)
func TestEvaluateToAllocatesNothing(t *testing.T) {
	for _, s := range allocStates() {
		t.Run(s.name, func(t *testing.T) {
			var d policy.Decision
			policy.EvaluateTo(&d, t0, &s.tg, &s.o)
			require.Equal(t, s.action, d.Action, d.Reason())
			require.Empty(t, d.Findings)
			allocs := testing.AllocsPerRun(100, func() { policy.EvaluateTo(&d, t0, &s.tg, &s.o) })
			require.Zero(t, allocs, "%s: %s", d.Action, d.Reason())
			require.Equal(t, policy.Comparable(policy.Evaluate(t0, s.tg, s.o)), policy.Comparable(d))
		})
	}
}

// A plan read back from its JSON words every reason as it was written, and
// a blocked decision's error reads as its reason.
func TestDecisionJSONRoundTrip(t *testing.T) {
	var plan policy.Plan
	plan.At = t0
	for _, c := range reasonCases() {
		plan.Decisions = append(plan.Decisions, policy.Evaluate(t0, c.tg, c.o))
	}
	b, err := plan.JSON()
	require.NoError(t, err)
	var back policy.Plan
	require.NoError(t, json.Unmarshal(b, &back))
	require.Len(t, back.Decisions, len(plan.Decisions))
	for i, d := range back.Decisions {
		require.Equal(t, plan.Decisions[i].Reason(), d.Reason())
		if d.Action == policy.ActionBlocked {
			require.EqualError(t, d.Err(), d.Reason())
		}
	}
	again, err := back.JSON()
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(again))
	require.Equal(t, plan.Table(), back.Table())
}

// A pass over a fleet keeps one decision per target and evaluates each
// target into its own: once the decisions have grown, the pass allocates
// nothing for the targets with nothing due or a rotation due.
func ExampleEvaluateTo() {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var targets []policy.Target
	var observed []policy.Observed
	for i, age := range []int{10, 95} {
		name := fmt.Sprintf("APP%d", i)
		t := policy.Target{User: "SVC" + name, Token: name, Policy: policy.Production(), Stores: []string{"mem://" + name}}
		t.Policy.RoleRestriction = "R"
		created := now.Add(-time.Duration(age) * policy.Day)
		targets = append(targets, t)
		observed = append(observed, policy.Observed{
			User: &pat.UserInfo{Name: t.User, Type: "SERVICE", NetworkPolicy: "NP"},
			Tokens: []pat.Token{{Name: name, Status: pat.StatusActive, RoleRestriction: "R",
				CreatedOn: created, ExpiresAt: created.Add(100 * policy.Day)}},
			Stores: []policy.StoreState{{URL: t.Stores[0], Current: &policy.StoredVersion{ID: "1",
				Token:     pat.StoredToken{Token: pat.NewSecret("x"), Format: pat.FormatJSON},
				Snowflake: &pat.DecodedToken{State: "ACTIVE", TokenName: name, UserName: t.User}}}},
		})
	}
	decisions := make([]policy.Decision, len(targets))
	for pass := 0; pass < 2; pass++ {
		for i := range targets {
			policy.EvaluateTo(&decisions[i], now, &targets[i], &observed[i])
		}
	}
	for _, d := range decisions {
		fmt.Printf("%s: %s, %d steps: %s\n", d.Target, d.Action, len(d.Steps), d.Reason())
	}
	// Output:
	// SVCAPP0/APP0: none, 0 steps: next rotation 2026-08-20 00:00 UTC: rotation interval (90d) reached
	// SVCAPP1/APP1: rotate, 4 steps: rotation interval (90d) reached: created 2026-02-26 00:00 UTC
}

// A decision kept for one target and reused for another words the verify
// step for the user it is evaluated for now, whether that user's name is
// another or the same name held in another string.
func TestEvaluateToVerifyNamesTheUserEvaluated(t *testing.T) {
	due := func(user string) (policy.Target, policy.Observed) {
		tg := policy.Target{User: user, Token: "APP", Policy: policy.Production(), Stores: []string{"mem://x"}}
		tg.Policy.RoleRestriction = "R"
		tok := activeTok(t0.Add(-95*policy.Day), 100)
		tok.UserName = user
		cur := storedAs("APP", "ACTIVE")
		cur.Snowflake.UserName = user
		o := observedWith(&tok, cur)
		o.User.Name = user
		return tg, o
	}
	verifyWhy := func(d policy.Decision) string {
		for _, st := range d.Steps {
			if st.Kind == policy.StepVerify {
				return st.Why
			}
		}
		t.Fatalf("no verify step in %s: %v", d.Action, d.Steps)
		return ""
	}
	var d policy.Decision
	for _, user := range []string{"SVC", "OTHER", strings.Clone("OTHER"), "SVC"} {
		tg, o := due(user)
		policy.EvaluateTo(&d, t0, &tg, &o)
		require.Equal(t, policy.ActionRotate, d.Action, d.Reason())
		require.Equal(t, "as "+user+", as a consumer would", verifyWhy(d))
		require.Equal(t, policy.Comparable(policy.Evaluate(t0, tg, o)), policy.Comparable(d))
	}
}
