package pat

import (
	"strings"
	"time"
)

// Status is a token's status as SHOW USER PROGRAMMATIC ACCESS TOKENS reports
// it. Snowflake may add statuses; an unknown one is kept as reported and
// Known returns false, so callers can treat it cautiously instead of
// failing to list tokens at all.
type Status string

// The statuses Snowflake documents.
const (
	StatusActive   Status = "ACTIVE"
	StatusExpired  Status = "EXPIRED"
	StatusDisabled Status = "DISABLED"
)

// Known reports whether s is one of the documented statuses.
func (s Status) Known() bool {
	switch s {
	case StatusActive, StatusExpired, StatusDisabled:
		return true
	}
	return false
}

// parseStatus maps a reported status to a constant when it is one in any
// letter case, and otherwise keeps the raw text.
func parseStatus(raw string) Status {
	if st := Status(strings.ToUpper(strings.TrimSpace(raw))); st.Known() {
		return st
	}
	return Status(raw)
}

// Token is one row of SHOW USER PROGRAMMATIC ACCESS TOKENS. It never holds
// the secret: Snowflake shows a secret only once, in the result of ADD or
// ROTATE. NULL columns become zero values.
type Token struct {
	Name            string
	UserName        string
	RoleRestriction string // empty when the token is not role-restricted
	ExpiresAt       time.Time
	Status          Status
	Comment         string
	CreatedOn       time.Time
	CreatedBy       string
	// MinsToBypassNetworkPolicy is the remaining bypass of the network
	// policy requirement, 0 when none.
	MinsToBypassNetworkPolicy int
	// RotatedTo names the token this one was rotated into; it is set only
	// on the token holding the old secret after a rotation.
	RotatedTo string
}

// IsRotated reports whether t holds a secret that was rotated out. Such a
// token can only expire or be removed.
func (t Token) IsRotated() bool { return t.RotatedTo != "" }

// ExpiresIn returns how long t has left at now: negative once expired, and
// 0 when the expiry is unknown (zero ExpiresAt), so that a policy treats an
// unknown expiry like an imminent one.
func (t Token) ExpiresIn(now time.Time) time.Duration {
	if t.ExpiresAt.IsZero() {
		return 0
	}
	return t.ExpiresAt.Sub(now)
}

// IsExpired reports whether t can no longer log in because of its age: its
// status says so, or its expiry time has passed at now.
func (t Token) IsExpired(now time.Time) bool {
	return t.Status == StatusExpired || !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// AddResult is the outcome of adding a token. Secret is the token's text,
// shown this once by Snowflake: store it before doing anything else.
type AddResult struct {
	TokenName string
	Secret    Secret
	// Existed is set when IF NOT EXISTS found the token already there; no
	// secret is returned then, and Secret is zero.
	Existed bool
}

// RotateResult is the outcome of rotating a token. TokenName keeps the
// token's name and now holds Secret; the old secret lives on, until its
// grace period ends, as the token RotatedTokenName.
type RotateResult struct {
	TokenName        string
	Secret           Secret
	RotatedTokenName string
}
