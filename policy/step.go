package policy

import (
	"fmt"
	"strings"
)

// StepKind names one change the engine makes.
type StepKind string

// The steps a Decision is made of. Apply carries them out in order and
// nothing else: what a dry run shows is exactly what is sent.
const (
	// StepRemoveToken removes a token from Snowflake (REMOVE … IF EXISTS):
	// one that has lapsed, a generation idle past its grace, or every
	// token of a compromised target.
	StepRemoveToken StepKind = "remove-token"
	// StepRotateToken rotates a token (ROTATE): it keeps its name and
	// lifetime and gets a new secret; the old secret keeps working for
	// GraceHours as a rotated-out token. It mints the secret the following
	// store steps write.
	StepRotateToken StepKind = "rotate-token"
	// StepAddToken adds a token (ADD) with LifetimeDays, RoleRestriction
	// and Comment. It mints the secret the following store steps write.
	StepAddToken StepKind = "add-token"
	// StepStorePending writes the secret in hand — the one just minted, or
	// the one read from FromStore's version FromVersion — as Store's
	// pending version.
	StepStorePending StepKind = "store-pending"
	// StepVerify logs in as the target's user with the secret in hand.
	StepVerify StepKind = "verify"
	// StepPromote makes Store's pending version current, if its current
	// version is still IfCurrent (on stores with compare-and-swap).
	StepPromote StepKind = "promote"
	// StepRetireVersion takes Store's Version out of use (a previous
	// secret that no longer works, a stale pending one).
	StepRetireVersion StepKind = "retire-version"
	// StepDestroyVersion erases Store's Version for good where the backend
	// can, and retires it where it cannot: stored copies of a compromised
	// secret.
	StepDestroyVersion StepKind = "destroy-version"
	// StepPush writes the secret in hand — promoted, so it has logged in —
	// into every Snowflake connection of Destination, and records it.
	StepPush StepKind = "push"
	// StepTest runs Destination's connection test (a refresh) where the
	// tool has one.
	StepTest StepKind = "test"
)

// Step is one change of a Decision: what is sent, to what, and why.
type Step struct {
	Kind StepKind `json:"kind"`
	// Token is the token a Snowflake step acts on.
	Token string `json:"token,omitempty"`
	// GraceHours is how long a rotated-out secret keeps working
	// (EXPIRE_ROTATED_TOKEN_AFTER_HOURS); never 0.
	GraceHours int `json:"graceHours,omitempty"`
	// LifetimeDays is DAYS_TO_EXPIRY for an added token, and the lifetime
	// a rotated token keeps.
	LifetimeDays    int    `json:"lifetimeDays,omitempty"`
	RoleRestriction string `json:"roleRestriction,omitempty"`
	Comment         string `json:"comment,omitempty"`
	// Store is the store URL a store step acts on.
	Store string `json:"store,omitempty"`
	// Version is the version a retire or destroy step acts on.
	Version string `json:"version,omitempty"`
	// IfCurrent is the current version a promotion expects to replace.
	IfCurrent string `json:"ifCurrent,omitempty"`
	// FromStore and FromVersion name the stored version whose secret a
	// store step copies; empty for the secret minted earlier in the
	// decision.
	FromStore   string `json:"fromStore,omitempty"`
	FromVersion string `json:"fromVersion,omitempty"`
	// Destination is the URL a push or test step acts on.
	Destination string `json:"destination,omitempty"`
	// Why is the step's reason, for a person.
	Why string `json:"why,omitempty"`
}

// String renders the step for a plan table, as a person would say it.
func (s Step) String() string {
	var b strings.Builder
	switch s.Kind {
	case StepRemoveToken:
		fmt.Fprintf(&b, "remove token %s", s.Token)
	case StepRotateToken:
		fmt.Fprintf(&b, "rotate token %s (the old secret works %dh more)", s.Token, s.GraceHours)
	case StepAddToken:
		fmt.Fprintf(&b, "add token %s (%d days", s.Token, s.LifetimeDays)
		if s.RoleRestriction != "" {
			fmt.Fprintf(&b, ", role %s", s.RoleRestriction)
		}
		if s.Comment != "" {
			fmt.Fprintf(&b, ", comment %q", s.Comment)
		}
		b.WriteString(")")
	case StepStorePending:
		fmt.Fprintf(&b, "store pending in %s", s.Store)
		if s.FromStore != "" {
			fmt.Fprintf(&b, " (the secret of %s version %s)", s.FromStore, s.FromVersion)
		}
	case StepVerify:
		b.WriteString("verify a login with the new secret")
	case StepPromote:
		fmt.Fprintf(&b, "promote in %s", s.Store)
		if s.IfCurrent != "" {
			fmt.Fprintf(&b, " (if current is still %s)", s.IfCurrent)
		}
	case StepRetireVersion:
		fmt.Fprintf(&b, "retire version %s of %s", s.Version, s.Store)
	case StepDestroyVersion:
		fmt.Fprintf(&b, "destroy version %s of %s", s.Version, s.Store)
	case StepPush:
		fmt.Fprintf(&b, "push to %s", s.Destination)
		if s.FromStore != "" {
			fmt.Fprintf(&b, " (the secret of %s version %s)", s.FromStore, s.FromVersion)
		}
	case StepTest:
		fmt.Fprintf(&b, "test %s (a refresh, where the tool has one)", s.Destination)
	default:
		fmt.Fprintf(&b, "%s", s.Kind)
	}
	if s.Why != "" {
		b.WriteString(": ")
		b.WriteString(s.Why)
	}
	return b.String()
}
