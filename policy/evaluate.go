package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// Evaluate decides what to do for one target at time now, from what was
// observed, and spells the decision out as the exact steps Apply will take.
// It is a pure function: the same inputs give the same decision.
func Evaluate(now time.Time, t Target, o Observed) Decision {
	return evaluate(now, t, &o)
}

func evaluate(now time.Time, t Target, o *Observed) Decision {
	// A store that cannot be read holds the others back from nothing: the
	// decision is taken for the stores that could be read, and the
	// unreadable ones are reported (and retried) with it, so one store down
	// for longer than the grace cannot leave the healthy ones with a secret
	// that expires. Only when no store can be read is the target blocked.
	var unreadable []StoreState
	for _, s := range o.Stores {
		if s.Err != nil {
			unreadable = append(unreadable, s)
		}
	}
	if len(unreadable) > 0 && len(unreadable) < len(o.Stores) {
		readable := *o
		readable.Stores, readable.partial = nil, true
		for _, s := range o.Stores {
			if s.Err == nil {
				readable.Stores = append(readable.Stores, s)
			}
		}
		d := evaluate(now, t, &readable)
		for _, s := range unreadable {
			d.Findings = append(d.Findings, Finding{SeverityError, "store-unreadable", fmt.Sprintf("cannot read store %s: %v; the other stores go on without it", s.URL, s.Err)})
			d.storeErrs = append(d.storeErrs, fmt.Errorf("cannot read store %s: %w", s.URL, s.Err))
		}
		return d
	}
	d := Decision{Target: t.ID(), Token: t.Token}
	active := activeToken(t, o)
	if active != nil {
		d.Token, d.ExpiresAt = active.Name, active.ExpiresAt
	}
	d.Findings = findings(now, t, o, active)
	p := planner{now: now, t: t, o: o, d: &d}

	// Nothing is decided on a partial view of the world.
	switch {
	case o.UserErr != nil:
		return p.block(o.UserErr, "cannot describe user %s: %v", t.User, o.UserErr)
	case o.TokensErr != nil:
		return p.block(o.TokensErr, "cannot list the tokens of %s: %v", t.User, o.TokensErr)
	}
	for _, s := range o.Stores {
		if s.Err != nil {
			return p.block(s.Err, "cannot read store %s: %v", s.URL, s.Err)
		}
	}
	for _, s := range o.Stores {
		if other := o.foreignOwner(t, s.Current); other != "" {
			return p.block(ErrSharedStore, "%s holds the working secret snowpat stored for %s: two targets share this store, and each would overwrite the other's token on every pass; give each target its own store", s.URL, other)
		}
	}
	if o.User != nil && o.User.Disabled {
		return p.block(pat.ErrUserDisabled, "user %s is disabled: no token of it can log in; enable the user (ALTER USER %s SET DISABLED = FALSE), then its tokens", t.User, t.User)
	}

	// An incident outranks everything else: revoke first, ask later.
	if t.Compromised && !incidentHandled(t, active) {
		return p.revoke(active)
	}
	// A rotation left half-done is finished (or undone) before anything new.
	for _, s := range o.Stores {
		if s.Pending != nil {
			return p.recover(active, fmt.Sprintf("a rotation was left half-done: %s holds a pending secret", s.URL))
		}
	}
	if active == nil {
		for _, s := range o.Stores {
			if s.Current != nil {
				return p.replace(nil, ActionRecreate, fmt.Sprintf("token %s was removed outside snowpat; the stored secret no longer works", t.Token))
			}
		}
		return p.replace(nil, ActionCreate, fmt.Sprintf("token %s does not exist", t.Token))
	}
	switch active.Status {
	case pat.StatusExpired:
		return p.replace(active, ActionRecreate, fmt.Sprintf("token %s expired at %s", active.Name, stamp(active.ExpiresAt)))
	case pat.StatusDisabled:
		if !t.Policy.ReplaceDisabled {
			return p.block(pat.ErrTokenDisabled, "%s", disabledAdvice(t, active))
		}
		return p.replace(active, ActionRecreate, fmt.Sprintf("token %s was disabled outside snowpat; the policy replaces disabled tokens", active.Name))
	case pat.StatusActive:
	default:
		return p.block(nil, "token %s has a status snowpat does not know: %q", active.Name, string(active.Status))
	}
	if why := unusableRole(t, o, active.RoleRestriction); why != "" {
		// The token is listed as ACTIVE but cannot log in; a new one
		// restricted to the policy's role replaces it beside it.
		return p.replace(active, ActionRecreate, fmt.Sprintf("token %s cannot log in: %s", active.Name, why))
	}
	for _, s := range o.Stores {
		if why := s.Current.mismatch(t, active.Name); why != "" {
			return p.recover(active, s.URL+" "+why)
		}
	}

	pol := t.Policy
	byAge := active.CreatedOn.Add(pol.RotateEvery)
	byExpiry := active.ExpiresAt.Add(-pol.RotateBefore)
	due, why := byAge, fmt.Sprintf("rotation interval (%s) reached: created %s", days(pol.RotateEvery), stamp(active.CreatedOn))
	if byExpiry.Before(byAge) {
		due, why = byExpiry, fmt.Sprintf("expiry %s is within the lead time (%s)", stamp(active.ExpiresAt), days(pol.RotateBefore))
	}
	if behind := p.behind(); len(behind) > 0 && now.Before(due) {
		url, cur := p.currentStored()
		p.pushes(url, cur, cur.Token.Token)
		names := make([]string, len(behind))
		for i, b := range behind {
			names[i] = b.URL
		}
		return p.act(ActionPush, "the current secret has not reached "+strings.Join(names, ", "))
	}
	if !now.Before(due) {
		if changed := policyChanged(t, active); changed != "" {
			why += "; policy changed: " + changed
		}
		d.Due = due
		return p.rotate(active, why)
	}
	if r := p.retire(active); len(d.Steps) > 0 {
		d.Action, d.Due, d.Reason = ActionRetire, now, r
		return d
	}
	d.Due = due
	left := active.ExpiresAt.Sub(now)
	warn := slices.Clone(pol.WarnBefore)
	slices.Sort(warn)
	for _, w := range warn {
		if left <= w {
			d.Action = ActionWarn
			d.Reason = fmt.Sprintf("token %s expires in %s (within the %s warning); rotation due %s", active.Name, roundDays(left), days(w), stamp(due))
			return d
		}
	}
	d.Action = ActionNone
	d.Reason = fmt.Sprintf("next rotation %s: %s", stamp(due), strings.SplitN(why, ":", 2)[0])
	return d
}

// disabledAdvice is what an operator is told about a token disabled
// outside snowpat.
func disabledAdvice(t Target, tok *pat.Token) string {
	return fmt.Sprintf("token %s was disabled outside snowpat; snowpat does not undo an administrator's act: "+
		"enable it (ALTER USER %s MODIFY PROGRAMMATIC ACCESS TOKEN %s SET DISABLED = FALSE), "+
		"or declare an incident on the target (compromised with compromisedAt) to replace it and remove the disabled one; "+
		"the policy option replaceDisabled replaces disabled tokens unattended", tok.Name, t.User, tok.Name)
}

// policyChanged says how the active token differs from what the policy
// would create now; a rotation then adds a new generation, which applies
// it, instead of rotating the token, which keeps both.
func policyChanged(t Target, tok *pat.Token) string {
	var parts []string
	if n := lifetimeDays(tok); n != t.Policy.LifetimeDays {
		parts = append(parts, fmt.Sprintf("the token lives %dd, the policy says %dd", n, t.Policy.LifetimeDays))
	}
	if !sameRole(tok.RoleRestriction, t.Policy.RoleRestriction) {
		parts = append(parts, fmt.Sprintf("the token is restricted to %s, the policy says %s", orNone(tok.RoleRestriction), orNone(t.Policy.RoleRestriction)))
	}
	return strings.Join(parts, "; ")
}

// unusableRole says why a token restricted to role cannot log in, as far
// as was observed: the role is no longer granted to the user, or the
// authentication policy blocks it. "" when it can, or when it is unknown.
func unusableRole(t Target, o *Observed, role string) string {
	if role == "" {
		return ""
	}
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

func sameRole(a, b string) bool { return pat.NormalizeName(a) == pat.NormalizeName(b) }

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
