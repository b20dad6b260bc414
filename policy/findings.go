package policy

import (
	"fmt"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// findings compares what was observed with the guide's best practices and
// says what an operator should know. Findings never change what the engine
// does; the decision does that, and a blocked decision's reason repeats
// the finding that blocks it. They are appended to out; a target that
// follows the guide has none, and then nothing is formatted. fits says
// that every readable store holds what the active token needs, as
// Evaluate found.
func findings(out []Finding, now time.Time, t *Target, o *Observed, active *pat.Token, fits bool) []Finding {
	if u := o.User; u != nil {
		switch {
		case u.Type == "LEGACY_SERVICE":
			out = addFinding(out, SeverityWarning, "legacy-service-user", "user %s is TYPE = LEGACY_SERVICE; Snowflake is retiring it: use TYPE = SERVICE", u.Name)
		case !u.IsService():
			out = addFinding(out, SeverityWarning, "not-service-user", "user %s is not TYPE = SERVICE: use a dedicated service user per application", u.Name)
		}
		if u.NetworkPolicy == "" {
			out = addFinding(out, SeverityWarning, "no-network-policy", "user %s has no network policy of its own (an account-level policy may still apply)", u.Name)
		}
		if u.Disabled {
			out = addFinding(out, SeverityError, "user-disabled", "user %s is disabled: no token of it can log in", u.Name)
		}
	}
	role := t.Policy.RoleRestriction
	switch {
	case role == "":
		out = addFinding(out, SeverityWarning, "no-role-restriction", "the policy sets no ROLE_RESTRICTION: tokens can use every role the user has")
	case unusableRole(t, o, role) != "":
		out = addFinding(out, SeverityError, "role-unusable", "the policy's role restriction cannot be used: %s; grant the role or change roleRestriction", unusableRole(t, o, role))
	case active != nil && !sameRole(active.RoleRestriction, role):
		out = addFinding(out, SeverityWarning, "role-restriction-differs", "token %s is restricted to %s, the policy says %s (the next rotation adds a token that applies it)", active.Name, orNone(active.RoleRestriction), role)
	}
	if active != nil && active.Status == pat.StatusActive {
		if why := unusableRole(t, o, active.RoleRestriction); why != "" {
			out = addFinding(out, SeverityError, "token-cannot-log-in", "token %s cannot log in: %s", active.Name, why)
		}
	}
	if max := o.maxDays(); max > 0 && t.Policy.LifetimeDays > max {
		out = addFinding(out, SeverityError, "lifetime-above-maximum", "the policy's lifetime of %d days exceeds the account's MAX_EXPIRY_IN_DAYS of %d: Snowflake refuses new tokens, and existing tokens that live longer stop working", t.Policy.LifetimeDays, max)
	}
	if role == "" && o.roleRequired() {
		out = addFinding(out, SeverityError, "role-restriction-required", "the authentication policy in force for %s requires a role restriction: set roleRestriction", t.User)
	}
	limit := t.Policy.MaxTokens
	if limit == 0 {
		limit = 15
	}
	counting, lingering := 0, 0 // counting as countingTokens does
	for i := range o.Tokens {
		tok := &o.Tokens[i]
		if !expired(tok, now) {
			counting++
		} else if tok.IsRotated() {
			lingering++
		}
		if tok != active && tok.Status == pat.StatusDisabled && owns(t, tok) {
			out = addFinding(out, SeverityWarning, "disabled-token", "token %s of the target was disabled outside snowpat; it is left alone and counts against the token limit", tok.Name)
		}
	}
	if counting >= limit-3 {
		out = addFinding(out, SeverityWarning, "near-token-limit", "user %s has %d of %d tokens (disabled and rotated-out tokens count)", t.User, counting, limit)
	}
	if lingering > 0 {
		out = addFinding(out, SeverityInfo, "rotated-tokens-lingering", "%d expired rotated-out tokens are still listed for %s", lingering, t.User)
	}
	if active != nil {
		switch active.Status {
		case pat.StatusActive:
			for i := 0; !fits && i < len(o.Stores); i++ {
				if s := &o.Stores[i]; s.Err == nil {
					if why := s.Current.mismatch(t, active.Name); why != "" {
						out = addFinding(out, SeverityError, "stored-secret-mismatch", "%s %s", s.URL, why)
					}
				}
			}
		case pat.StatusDisabled:
			out = addFinding(out, SeverityError, "token-disabled", "%s", disabledAdvice(t, active))
		}
	}
	if t.Compromised && incidentHandled(t, active) {
		out = addFinding(out, SeverityWarning, "compromise-handled", "incident %s was handled: token %s carries its marker; the compromised flag does nothing more and can be cleared", t.incidentID(), active.Name)
	}
	return out
}

// addFinding appends a finding, formatting its message: out of line, so
// that the checks above stay small when nothing is found.
//
//go:noinline
func addFinding(out []Finding, sev Severity, code, format string, args ...any) []Finding {
	return append(out, Finding{sev, code, fmt.Sprintf(format, args...)})
}
