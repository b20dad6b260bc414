package policy

import (
	"fmt"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// findings compares what was observed with the guide's best practices.
func findings(now time.Time, t Target, o Observed, active *pat.Token) []Finding {
	var out []Finding
	add := func(sev Severity, code, format string, args ...any) {
		out = append(out, Finding{sev, code, fmt.Sprintf(format, args...)})
	}
	if u := o.User; u != nil {
		switch {
		case u.Type == "LEGACY_SERVICE":
			add(SeverityWarning, "legacy-service-user", "user %s is TYPE = LEGACY_SERVICE; Snowflake is retiring it: use TYPE = SERVICE", u.Name)
		case !u.IsService():
			add(SeverityWarning, "not-service-user", "user %s is not TYPE = SERVICE: use a dedicated service user per application", u.Name)
		}
		if u.NetworkPolicy == "" {
			add(SeverityWarning, "no-network-policy", "user %s has no network policy of its own (an account-level policy may still apply)", u.Name)
		}
		if u.Disabled {
			add(SeverityError, "user-disabled", "user %s is disabled: no token of it can log in", u.Name)
		}
	}
	if t.Policy.RoleRestriction == "" {
		add(SeverityWarning, "no-role-restriction", "the policy sets no ROLE_RESTRICTION: tokens can use every role the user has")
	} else if active != nil && active.RoleRestriction != t.Policy.RoleRestriction {
		add(SeverityWarning, "role-restriction-differs", "token %s is restricted to %q, the policy says %q (a new token applies it)", active.Name, active.RoleRestriction, t.Policy.RoleRestriction)
	}
	if o.AccountMaxDays > 0 && t.Policy.LifetimeDays > o.AccountMaxDays {
		add(SeverityError, "lifetime-above-maximum", "the policy's lifetime of %d days exceeds the account's MAX_EXPIRY_IN_DAYS of %d: Snowflake will refuse new tokens", t.Policy.LifetimeDays, o.AccountMaxDays)
	}
	limit := t.Policy.MaxTokens
	if limit == 0 {
		limit = 15
	}
	counting, lingering := 0, 0
	for _, tok := range o.Tokens {
		if tok.Status != pat.StatusExpired {
			counting++
		}
		if tok.IsRotated() && tok.Status == pat.StatusExpired {
			lingering++
		}
	}
	if counting >= limit-3 {
		add(SeverityWarning, "near-token-limit", "user %s has %d of %d tokens (disabled and rotated-out tokens count)", t.User, counting, limit)
	}
	if lingering > 0 {
		add(SeverityInfo, "rotated-tokens-lingering", "%d expired rotated-out tokens are still listed for %s", lingering, t.User)
	}
	if active != nil {
		for _, s := range o.Stores {
			if why := storeMismatch(s, active.Name); why != "" && s.Err == nil {
				add(SeverityError, "stored-secret-mismatch", "%s %s", s.URL, why)
			}
		}
	}
	if t.Compromised && active != nil && replacedAfterIncident(t, active) {
		add(SeverityInfo, "compromise-handled", "token %s was issued after the compromise (%s); the compromised flag can be cleared", active.Name, stamp(active.CreatedOn))
	}
	return out
}
