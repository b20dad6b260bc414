package policy

import (
	"errors"
	"fmt"
	"time"

	"github.com/snowpat/snowpat/internal/strictyaml"
	"github.com/snowpat/snowpat/pat"
)

// ErrInvalidTarget is wrapped by every error Target.Validate returns.
var ErrInvalidTarget = errors.New("policy: invalid target")

// Target is one token snowpat keeps: a Snowflake user's token, the policy
// it follows and the secret stores its secret lives in.
type Target struct {
	// Name identifies the target in plans, events and metrics; empty means
	// USER/TOKEN.
	Name string
	// Account is written into the stored secret (the SnowflakePat format's
	// account field) so that readers know where to log in.
	Account string
	// User is the Snowflake user, as Snowflake stores the name.
	User string
	// Token is the token's name (upper-case, as Snowflake stores it).
	Token string
	// Policy is the rotation policy.
	Policy Policy
	// Stores are the secret store URLs (secrets.OpenStore) the secret is
	// written to; at least one. Every store gets the same value.
	Stores []string
	// Format is how the secret is stored: pat.FormatJSON (the default, the
	// AWS SnowflakePat layout) or pat.FormatRaw (the token alone, for BI
	// tools that read a plain password).
	Format pat.Format
	// Push are the destinations (URLs for push.Open: tableau://…,
	// powerbi://…) the secret is pushed to after each rotation: BI content
	// whose Snowflake connections log in with it. A push follows the
	// promotion, so a destination only ever receives a secret that has
	// logged in.
	Push []string
	// Compromised declares an incident: every token of the target — the
	// active one, every rotated-out one, every generation — is removed at
	// once, the stored copies of their secrets destroyed where the store
	// can, and a replacement issued. The incident must be identified, by
	// CompromisedAt (when the leak happened, or was found) or by Incident
	// (an id such as a ticket number, letters, digits and ._:- only), so
	// that it is acted on exactly once: the replacement's comment records
	// the identity, and a later incident, with a new identity, acts again.
	// Leaving the flag set after the incident was handled does nothing but
	// a warning in the plan.
	Compromised   bool
	CompromisedAt time.Time
	Incident      string
}

// maxTokenNameLen is Snowflake's identifier limit.
const maxTokenNameLen = 255

// ID is the target's name, or USER/TOKEN.
func (t Target) ID() string {
	if t.Name != "" {
		return t.Name
	}
	return t.User + "/" + t.Token
}

// safeID is ID for error messages: an invalid token name is left out (a
// secret pasted into the token field would otherwise be echoed whole into
// errors and logs) and long names are truncated, as other quoted values
// are.
func (t Target) safeID() string {
	if t.Name != "" {
		return strictyaml.Truncate(t.Name)
	}
	token := t.Token
	if pat.ValidateTokenName(token) != nil {
		token = "(invalid token name)"
	}
	return strictyaml.Truncate(t.User) + "/" + strictyaml.Truncate(token)
}

// Validate checks the target and its policy before anything is sent.
func (t Target) Validate() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s: %s", ErrInvalidTarget, t.safeID(), field, fmt.Sprintf(format, args...))
	}
	if err := pat.ValidateUserName(t.User); err != nil {
		return bad("user", "%v", err)
	}
	if err := pat.ValidateTokenName(t.Token); err != nil {
		return bad("token", "%v", err)
	}
	if pat.NormalizeName(t.Token) != t.Token {
		return bad("token", "%s is not as Snowflake stores it; use %s", quote(t.Token), quote(pat.NormalizeName(t.Token)))
	}
	if len(t.Token)+len(greenSuffix) > maxTokenNameLen {
		return bad("token", "too long for the generation suffixes (%d bytes at most)", maxTokenNameLen-len(greenSuffix))
	}
	if t.Incident != "" && !validIncidentID(t.Incident) {
		return bad("incident", "must be 1 to 64 letters, digits or ._:- characters")
	}
	if t.Compromised && t.incidentID() == "" {
		return bad("compromised", "an incident must be identified: set compromisedAt (when the secret leaked) or incident (an id), so that it is acted on exactly once")
	}
	if len(t.Stores) == 0 {
		return bad("stores", "at least one store URL is required")
	}
	seen := map[string]bool{}
	for _, s := range t.Stores {
		if s == "" || seen[s] {
			return bad("stores", "empty or repeated store URL")
		}
		seen[s] = true
	}
	pushed := map[string]bool{}
	for _, p := range t.Push {
		if p == "" || pushed[p] {
			return bad("push", "empty or repeated destination URL")
		}
		pushed[p] = true
	}
	if t.Format != 0 && t.Format != pat.FormatJSON && t.Format != pat.FormatRaw {
		return bad("format", "unknown format %d", t.Format)
	}
	if err := t.Policy.Validate(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidTarget, t.safeID(), err)
	}
	return nil
}

func (t *Target) format() pat.Format {
	if t.Format == 0 {
		return pat.FormatJSON
	}
	return t.Format
}

// wrapInvalid makes err, found while checking t among other targets, an
// ErrInvalidTarget naming t and the field at fault.
func wrapInvalid(t Target, field string, err error) error {
	if errors.Is(err, ErrInvalidTarget) {
		return err
	}
	if field != "" {
		field += ": "
	}
	return fmt.Errorf("%w: %s: %s%w", ErrInvalidTarget, t.safeID(), field, err)
}
