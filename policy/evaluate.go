package policy

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// incidentMarker is put in the comment of a token snowpat created to
// replace a compromised one, so that a compromised flag left set does not
// revoke the replacement on every run. ROTATE keeps the comment.
const incidentMarker = "[snowpat:incident]"

// Evaluate decides what to do for one target at time now, from what was
// observed. It is a pure function: the same inputs give the same decision.
func Evaluate(now time.Time, t Target, o Observed) Decision {
	d := Decision{Target: t.ID(), Token: t.Token}
	active := activeToken(t, o)
	if active != nil {
		d.Token, d.ExpiresAt = active.Name, active.ExpiresAt
	}
	d.Findings = findings(now, t, o, active)
	block := func(format string, args ...any) Decision {
		d.Action, d.Due, d.Reason = ActionBlocked, now, fmt.Sprintf(format, args...)
		return d
	}
	act := func(a Action, format string, args ...any) Decision {
		d.Action, d.Due, d.Reason = a, now, fmt.Sprintf(format, args...)
		return d
	}
	switch {
	case o.UserErr != nil:
		return block("cannot describe user %s: %v", t.User, o.UserErr)
	case o.TokensErr != nil:
		return block("cannot list the tokens of %s: %v", t.User, o.TokensErr)
	}
	for _, s := range o.Stores {
		if s.Err != nil {
			return block("cannot read store %s: %v", s.URL, s.Err)
		}
	}

	if t.Compromised && active != nil && !replacedAfterIncident(t, active) {
		return act(ActionRevokeAndRecreate, "compromised: revoke %s and every rotated-out secret now, then issue a new token", active.Name)
	}
	for _, s := range o.Stores {
		if s.Pending != nil {
			return act(ActionRecover, "a rotation was left half-done: %s holds a pending secret", s.URL)
		}
	}
	if active == nil {
		for _, s := range o.Stores {
			if s.Current != nil {
				return act(ActionRecreate, "token %s was removed outside snowpat; the stored secret no longer works", t.Token)
			}
		}
		return act(ActionCreate, "token %s does not exist", t.Token)
	}
	switch active.Status {
	case pat.StatusExpired:
		return act(ActionRecreate, "token %s expired at %s", active.Name, stamp(active.ExpiresAt))
	case pat.StatusDisabled:
		return act(ActionRecreate, "token %s was disabled outside snowpat", active.Name)
	case pat.StatusActive:
	default:
		return block("token %s has a status snowpat does not know: %q", active.Name, string(active.Status))
	}
	for _, s := range o.Stores {
		if why := storeMismatch(s, active.Name); why != "" {
			return act(ActionRecover, "%s %s", s.URL, why)
		}
	}

	p := t.Policy
	byAge := active.CreatedOn.Add(p.RotateEvery)
	byExpiry := active.ExpiresAt.Add(-p.RotateBefore)
	due, why := byAge, fmt.Sprintf("rotation interval (%s) reached: created %s", days(p.RotateEvery), stamp(active.CreatedOn))
	if byExpiry.Before(byAge) {
		due, why = byExpiry, fmt.Sprintf("expiry %s is within the lead time (%s)", stamp(active.ExpiresAt), days(p.RotateBefore))
		if active.ExpiresAt.Sub(active.CreatedOn) != p.lifetime() {
			why += fmt.Sprintf("; policy changed: the token lives %s, the policy says %dd", days(active.ExpiresAt.Sub(active.CreatedOn)), p.LifetimeDays)
		}
	}
	if !now.Before(due) {
		d.Action, d.Due, d.Reason = ActionRotate, due, why
		return d
	}
	if r := lapsedRotations(now, t, o); r != "" {
		return act(ActionRetire, "%s", r)
	}
	d.Due = due
	left := active.ExpiresAt.Sub(now)
	warn := append([]time.Duration(nil), p.WarnBefore...)
	sort.Slice(warn, func(i, j int) bool { return warn[i] < warn[j] })
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

// generationNames are the token names a target's live token may have.
func generationNames(t Target) []string {
	if t.Policy.strategy() == StrategyBlueGreen {
		return []string{t.Token + "_BLUE", t.Token + "_GREEN"}
	}
	return []string{t.Token}
}

// activeToken is the token currently serving the target: for the rotate
// strategy the token of that name; for blue/green the generation the
// stores point at, else the newest one Snowflake lists.
func activeToken(t Target, o Observed) *pat.Token {
	names := generationNames(t)
	if len(names) == 1 {
		return o.token(names[0])
	}
	for _, s := range o.Stores {
		if s.Current != nil && s.Current.Snowflake != nil {
			if tok := o.token(s.Current.Snowflake.TokenName); tok != nil && contains(names, tok.Name) && tok.Status == pat.StatusActive {
				return tok
			}
		}
	}
	var best *pat.Token
	for _, n := range names {
		tok := o.token(n)
		if tok == nil {
			continue
		}
		if best == nil || (tok.Status == pat.StatusActive) && (best.Status != pat.StatusActive || tok.CreatedOn.After(best.CreatedOn)) {
			best = tok
		}
	}
	return best
}

// storeMismatch says why a store's current secret is not the active
// token's, or "" when it is.
func storeMismatch(s StoreState, active string) string {
	c := s.Current
	switch {
	case c == nil:
		return "holds no secret"
	case c.DecodeErr != nil:
		return fmt.Sprintf("holds a value snowpat cannot read (%v)", c.DecodeErr)
	case c.Snowflake == nil:
		return "holds a secret Snowflake does not recognise"
	case c.activeAs(active):
		return ""
	case c.Snowflake.TokenName != active:
		return fmt.Sprintf("holds the secret of %s (%s), not of the active token %s", c.Snowflake.TokenName, c.Snowflake.State, active)
	default:
		return fmt.Sprintf("holds a secret Snowflake reports as %s", c.Snowflake.State)
	}
}

func replacedAfterIncident(t Target, tok *pat.Token) bool {
	if !t.CompromisedAt.IsZero() {
		return !tok.CreatedOn.Before(t.CompromisedAt)
	}
	return strings.Contains(tok.Comment, incidentMarker)
}

// lapsedRotations describes leftovers of finished rotations that can go:
// rotated-out tokens that have expired, stored previous versions whose
// token no longer works, and (blue/green) the idle generation once its
// grace after promotion has passed.
func lapsedRotations(now time.Time, t Target, o Observed) string {
	names := generationNames(t)
	var parts []string
	for _, tok := range o.Tokens {
		if tok.IsRotated() && contains(names, tok.RotatedTo) && tok.Status == pat.StatusExpired {
			parts = append(parts, "rotated-out token "+tok.Name+" has lapsed")
		}
	}
	for _, s := range o.Stores {
		if p := s.Previous; p != nil && (p.Snowflake == nil || p.Snowflake.State != string(pat.StatusActive)) {
			parts = append(parts, s.URL+" keeps a previous secret that no longer works")
		}
	}
	if t.Policy.strategy() == StrategyBlueGreen {
		if idle := idleGeneration(now, t, o); idle != "" {
			parts = append(parts, "generation "+idle+" is idle past its grace")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ")
}

// idleGeneration is the blue/green generation that is not active and
// whose grace has passed since the active one was created.
func idleGeneration(now time.Time, t Target, o Observed) string {
	active := activeToken(t, o)
	if active == nil || active.Status != pat.StatusActive {
		return ""
	}
	for _, n := range generationNames(t) {
		if n == active.Name {
			continue
		}
		if o.token(n) != nil && !now.Before(active.CreatedOn.Add(t.Policy.Grace)) {
			return n
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func roundDays(d time.Duration) string {
	if d >= Day {
		return fmt.Sprintf("%.1fd", d.Hours()/24)
	}
	return d.Round(time.Minute).String()
}
