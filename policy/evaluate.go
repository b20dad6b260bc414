package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// Evaluate decides what to do for one target at time now, from what was
// observed, and spells the decision out as the exact steps Apply will take.
// It is a pure function: the same inputs give the same decision.
//
// Evaluate returns a decision of its own; EvaluateTo evaluates into one the
// caller keeps, which is what a pass over a large fleet wants.
func Evaluate(now time.Time, t Target, o Observed) Decision {
	var d Decision
	evaluateTo(&d, now, &t, &o, false)
	return d
}

// EvaluateTo is Evaluate into *d, which it overwrites: the decision is
// the one Evaluate(now, *t, *o) returns (Reason, Err, JSON and every field
// alike), whatever d held before. It reads t and o and changes neither.
//
// It reuses what d holds: the arrays behind d.Steps and d.Findings, and
// the strings it built for the same target on an earlier call (its ID when
// it has no Name, the reason of a verify step, a generation's name). So a
// caller that keeps one Decision per target and evaluates each target into
// its own on every pass allocates nothing once the decisions have grown:
// not when nothing is due, not when a rotation is (see BenchmarkEvaluate
// and TestEvaluateToAllocatesNothing for what still allocates). Because
// the arrays are reused, a copy of d made earlier — or its Steps or
// Findings — changes under its holder: clone what must outlive the next
// call, and do not call EvaluateTo on a decision another goroutine reads.
func EvaluateTo(d *Decision, now time.Time, t *Target, o *Observed) {
	evaluateTo(d, now, t, o, true)
}

// evaluate is Evaluate for the engine, which holds the observation.
func evaluate(now time.Time, t Target, o *Observed) Decision {
	var d Decision
	evaluateTo(&d, now, &t, o, false)
	return d
}

// evaluateTo evaluates into d; keep says that d is the caller's to reuse,
// so the strings built for its target are remembered in it.
func evaluateTo(d *Decision, now time.Time, t *Target, o *Observed, keep bool) {
	// A store that cannot be read holds the others back from nothing: the
	// decision is taken for the stores that could be read, and the
	// unreadable ones are reported (and retried) with it, so one store down
	// for longer than the grace cannot leave the healthy ones with a secret
	// that expires. Only when no store can be read is the target blocked.
	unreadable := 0
	for i := range o.Stores {
		if o.Stores[i].Err != nil {
			unreadable++
		}
	}
	if unreadable > 0 && unreadable < len(o.Stores) {
		readable := *o
		readable.Stores, readable.partial = make([]StoreState, 0, len(o.Stores)-unreadable), true
		for _, s := range o.Stores {
			if s.Err == nil {
				readable.Stores = append(readable.Stores, s)
			}
		}
		evaluateTo(d, now, t, &readable, keep)
		for _, s := range o.Stores {
			if s.Err != nil {
				d.Findings = append(d.Findings, Finding{SeverityError, "store-unreadable", fmt.Sprintf("cannot read store %s: %v; the other stores go on without it", s.URL, s.Err)})
				d.storeErrs = append(d.storeErrs, fmt.Errorf("cannot read store %s: %w", s.URL, s.Err))
			}
		}
		return
	}

	id := targetID(d.Target, t)
	built := d.built
	if id != d.Target {
		built = built[:0] // strings built for another target
	}
	// Field by field, rather than a whole new Decision: the same result,
	// at half the cost on this path.
	d.Target, d.Action, d.Due, d.Token, d.ExpiresAt = id, "", time.Time{}, t.Token, time.Time{}
	d.Steps, d.Findings, d.why, d.cause, d.storeErrs, d.built = d.Steps[:0], d.Findings[:0], reason{}, nil, d.storeErrs[:0], built
	active, heldBy := activeHeld(t, o)
	if active != nil {
		d.Token, d.ExpiresAt = active.Name, active.ExpiresAt
	}
	// The first readable store that does not hold what the active token
	// needs, and why, asked once: the findings name every such store, and
	// the decision repairs them. The store activeHeld found holding the
	// active token's live secret is asked only about the secret's form.
	// fit marks the stores (the first 64) found to hold what the active
	// token needs: none of them can hold another target's secret.
	misfit, misfitWhy, fit := -1, "", uint64(0)
	if active != nil && active.Status == pat.StatusActive {
		for i := range o.Stores {
			if s := &o.Stores[i]; s.Err == nil {
				var why string
				if i == heldBy {
					why = s.Current.formMismatch(t, active.Name)
				} else {
					why = s.Current.mismatch(t, active.Name)
				}
				if why != "" {
					misfit, misfitWhy = i, why
					break
				}
				if i < 64 {
					fit |= 1 << i
				}
			}
		}
	}
	d.Findings = findings(d.Findings, now, t, o, active, misfit < 0)
	// Field by field: from a literal, the compiler builds the planner
	// aside and copies it in 16-byte loads of its 8-byte stores, which
	// the processor cannot forward from the stores.
	var p planner
	p.now, p.t, p.o, p.d, p.keep = now, t, o, d, keep

	// Nothing is decided on a partial view of the world.
	switch {
	case o.UserErr != nil:
		p.block(o.UserErr, "cannot describe user %s: %v", t.User, o.UserErr)
		return
	case o.TokensErr != nil:
		p.block(o.TokensErr, "cannot list the tokens of %s: %v", t.User, o.TokensErr)
		return
	}
	for i := range o.Stores {
		if s := &o.Stores[i]; s.Err != nil {
			p.block(s.Err, "cannot read store %s: %v", s.URL, s.Err)
			return
		}
	}
	for i := range o.Stores {
		// A store that fits holds the live secret of the active token,
		// a generation of the target's, for the target's user: its own.
		if i < 64 && fit&(1<<i) != 0 {
			continue
		}
		if s := &o.Stores[i]; o.foreignOwner(t, s.Current) != "" {
			p.block(ErrSharedStore, "%s holds the working secret snowpat stored for %s: two targets share this store, and each would overwrite the other's token on every pass; give each target its own store", s.URL, o.foreignOwner(t, s.Current))
			return
		}
	}
	if o.User != nil && o.User.Disabled {
		p.block(pat.ErrUserDisabled, "user %s is disabled: no token of it can log in; enable the user (ALTER USER %s SET DISABLED = FALSE), then its tokens", t.User, t.User)
		return
	}

	// An incident outranks everything else: revoke first, ask later.
	if t.Compromised && !incidentHandled(t, active) {
		p.revoke(active)
		return
	}
	// A rotation left half-done is finished (or undone) before anything new.
	for i := range o.Stores {
		if s := &o.Stores[i]; s.Pending != nil {
			p.recover(active, "a rotation was left half-done: "+s.URL+" holds a pending secret")
			return
		}
	}
	if active == nil {
		for i := range o.Stores {
			if o.Stores[i].Current != nil {
				p.replace(nil, ActionRecreate, "token "+t.Token+" was removed outside snowpat; the stored secret no longer works")
				return
			}
		}
		p.replace(nil, ActionCreate, "token "+t.Token+" does not exist")
		return
	}
	switch active.Status {
	case pat.StatusExpired:
		p.replace(active, ActionRecreate, "token "+active.Name+" expired at "+stamp(active.ExpiresAt))
		return
	case pat.StatusDisabled:
		if !t.Policy.ReplaceDisabled {
			p.block(pat.ErrTokenDisabled, "%s", disabledAdvice(t, active))
			return
		}
		p.replace(active, ActionRecreate, "token "+active.Name+" was disabled outside snowpat; the policy replaces disabled tokens")
		return
	case pat.StatusActive:
	default:
		p.block(nil, "token %s has a status snowpat does not know: %q", active.Name, string(active.Status))
		return
	}
	if why := unusableRole(t, o, active.RoleRestriction); why != "" {
		// The token is listed as ACTIVE but cannot log in; a new one
		// restricted to the policy's role replaces it beside it.
		p.replace(active, ActionRecreate, "token "+active.Name+" cannot log in: "+why)
		return
	}
	if misfit >= 0 { // every store is readable by now
		p.recover(active, o.Stores[misfit].URL+" "+misfitWhy)
		return
	}

	pol := &t.Policy
	due := d.why.setDue(active, pol)
	early := now.Before(due)
	if early && p.lagging() {
		url, cur := p.currentStored()
		p.pushes(url, cur, cur.Token.Token)
		p.act(ActionPush, reason{kind: reasonPush})
		return
	}
	if !early {
		d.why.text = policyChanged(t, active, p.lifetime(active))
		d.Due = due
		p.rotate(active)
		return
	}
	if p.retire(active); len(d.Steps) > 0 {
		d.Action, d.Due, d.why = ActionRetire, now, reason{kind: reasonRetire}
		return
	}
	d.Due = due
	// The smallest threshold the time left is within: the one a person
	// reads first when the thresholds are sorted. None is when the time
	// left is beyond the largest, which asks for one Add rather than a Sub
	// (they agree on what is beyond: each compares monotonic readings when
	// both instants have one, and wall times otherwise).
	if maxWarn, ok := largest(pol.WarnBefore); ok && !now.Add(maxWarn).Before(active.ExpiresAt) {
		left, warn, warned := active.ExpiresAt.Sub(now), time.Duration(0), false
		for _, w := range pol.WarnBefore {
			if left <= w && (!warned || w < warn) {
				warn, warned = w, true
			}
		}
		if warned {
			d.why.kind, d.why.warn, d.why.left = reasonWarn, warn, left
			d.Action = ActionWarn
			return
		}
	}
	d.why.kind = reasonNext
	d.Action = ActionNone
}

// largest is the largest of ds, and false when there is none.
func largest(ds []time.Duration) (time.Duration, bool) {
	if len(ds) == 0 {
		return 0, false
	}
	m := ds[0]
	for _, d := range ds[1:] {
		m = max(m, d)
	}
	return m, true
}

// targetID is t.ID(), taken from prev, a decision's former Target, when
// that is it already.
func targetID(prev string, t *Target) string {
	if t.Name != "" {
		return t.Name
	}
	if len(prev) == len(t.User)+1+len(t.Token) && strings.HasPrefix(prev, t.User) &&
		prev[len(t.User)] == '/' && strings.HasSuffix(prev, t.Token) {
		return prev
	}
	return t.User + "/" + t.Token
}

// disabledAdvice is what an operator is told about a token disabled
// outside snowpat.
func disabledAdvice(t *Target, tok *pat.Token) string {
	return fmt.Sprintf("token %s was disabled outside snowpat; snowpat does not undo an administrator's act: "+
		"enable it (ALTER USER %s MODIFY PROGRAMMATIC ACCESS TOKEN %s SET DISABLED = FALSE), "+
		"or declare an incident on the target (compromised with compromisedAt) to replace it and remove the disabled one; "+
		"the policy option replaceDisabled replaces disabled tokens unattended", tok.Name, t.User, tok.Name)
}

// policyChanged says how the active token differs from what the policy
// would create now; a rotation then adds a new generation, which applies
// it, instead of rotating the token, which keeps both.
func policyChanged(t *Target, tok *pat.Token, days int) string {
	if !policyDiffers(t, tok, days) {
		return ""
	}
	var parts []string
	if days != t.Policy.LifetimeDays {
		parts = append(parts, fmt.Sprintf("the token lives %dd, the policy says %dd", days, t.Policy.LifetimeDays))
	}
	if !sameRole(tok.RoleRestriction, t.Policy.RoleRestriction) {
		parts = append(parts, fmt.Sprintf("the token is restricted to %s, the policy says %s", orNone(tok.RoleRestriction), orNone(t.Policy.RoleRestriction)))
	}
	return strings.Join(parts, "; ")
}

// policyDiffers reports whether policyChanged has anything to say. days
// is tok's lifetimeDays.
func policyDiffers(t *Target, tok *pat.Token, days int) bool {
	return days != t.Policy.LifetimeDays || !sameRole(tok.RoleRestriction, t.Policy.RoleRestriction)
}

// unusableRole says why a token restricted to role cannot log in, as far
// as was observed: the role is no longer granted to the user, or the
// authentication policy blocks it. "" when it can, or when it is unknown.
func unusableRole(t *Target, o *Observed, role string) string {
	if role == "" || o.PATPolicy == nil && !o.RolesKnown {
		return "" // nothing known that could stop it; small enough to inline
	}
	return unusableRoleKnown(t, o, role)
}

func unusableRoleKnown(t *Target, o *Observed, role string) string {
	if o.PATPolicy != nil {
		for _, b := range o.PATPolicy.BlockedRoles {
			if sameRole(b, role) {
				return fmt.Sprintf("the authentication policy blocks role %s (BLOCKED_ROLES_LIST)", role)
			}
		}
	}
	if !o.RolesKnown || sameRole(role, "PUBLIC") {
		return ""
	}
	for _, g := range o.GrantedRoles {
		if sameRole(g, role) {
			return ""
		}
	}
	return fmt.Sprintf("role %s is not granted to user %s", role, t.User)
}

// sameRole reports whether a and b name the same role as Snowflake
// resolves names — pat.NormalizeName(a) == pat.NormalizeName(b) — without
// building the upper-cased names: unquoted identifiers compare without
// regard to ASCII case, anything else exactly. (An unquoted identifier
// upper-cases to one, so it never equals a name that is not one.)
func sameRole(a, b string) bool { return a == b || sameRoleFolded(a, b) }

func sameRoleFolded(a, b string) bool {
	if len(a) != len(b) || !unquotedIdent(a) || !unquotedIdent(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if upper(a[i]) != upper(b[i]) {
			return false
		}
	}
	return true
}

// unquotedIdent is pat's rule for a name Snowflake upper-cases: a letter
// or underscore, then letters, digits, underscores and dollar signs.
// TestSameRoleIsNormalizedEquality holds it to pat.NormalizeName.
func unquotedIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '$'):
		default:
			return false
		}
	}
	return true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func orNone(s string) string {
	if s == "" {
		return "no role"
	}
	return s
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func roundDays(d time.Duration) string {
	if d >= Day {
		return fmt.Sprintf("%.1fd", d.Hours()/24)
	}
	return d.Round(time.Minute).String()
}
