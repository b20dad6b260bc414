package policy

import (
	"errors"
	"fmt"
	"time"
)

// Day is 24 hours, the unit of DAYS_TO_EXPIRY.
const Day = 24 * time.Hour

// ErrInvalidPolicy is wrapped by every error Policy.Validate returns.
var ErrInvalidPolicy = errors.New("policy: invalid policy")

// Strategy is how a token is replaced.
type Strategy string

const (
	// StrategyRotate uses ALTER USER … ROTATE: the token keeps its name and
	// lifetime, and the old secret stays valid for the policy's Grace as
	// <NAME>_ROTATED_<millis>.
	StrategyRotate Strategy = "rotate"
	// StrategyBlueGreen ADDs the next token under the other of two names
	// (<NAME>_BLUE, <NAME>_GREEN) and REMOVEs the previous one once the
	// grace after promotion has passed. It needs no Snowflake-side grace and
	// applies lifetime and role changes at the next generation, at the cost
	// of two token slots.
	StrategyBlueGreen Strategy = "blue-green"
)

// Policy is how one token is kept fresh.
type Policy struct {
	// Name identifies the policy in plans and logs.
	Name string
	// RotateEvery is the rotation interval: a token older than this is
	// rotated.
	RotateEvery time.Duration
	// RotateBefore is the lead time: a token that expires within it is
	// rotated whatever its age.
	RotateBefore time.Duration
	// LifetimeDays is DAYS_TO_EXPIRY for new tokens. It must exceed
	// RotateEvery plus RotateBefore, so that the interval comes due with the
	// lead still ahead: a token is never left to expire before its rotation.
	LifetimeDays int
	// Grace is how long the replaced secret keeps working after a
	// rotation (EXPIRE_ROTATED_TOKEN_AFTER_HOURS; whole hours). It must
	// cover ConsumerCacheTTL, or consumers still holding the old secret
	// fail, and fit in RotateBefore, or Snowflake refuses it when a token is
	// rotated at the lead.
	Grace time.Duration
	// ConsumerCacheTTL is the longest time any consumer keeps a secret it
	// read (connection pools, caching clients, BI tools' refresh cycles).
	ConsumerCacheTTL time.Duration
	// RoleRestriction is the ROLE_RESTRICTION of new tokens (required by
	// Snowflake's default policy for SERVICE users).
	RoleRestriction string
	// WarnBefore lists the thresholds before expiry at which a warning is
	// raised, e.g. 14, 7 and 1 days.
	WarnBefore []time.Duration
	// Strategy is how tokens are replaced; the zero value is StrategyRotate.
	Strategy Strategy
	// MaxTokens is the per-user token limit findings compare against;
	// zero means Snowflake's 15.
	MaxTokens int
	// ReplaceDisabled lets the engine replace a token that was disabled
	// outside snowpat. By default such a token blocks its target, with a
	// finding that says what to do: an administrator who disables a token
	// to cut an integration off must not see it come back with a new
	// secret. Snowflake also disables tokens its secret scanning found
	// leaked, where a replacement is the right answer; an operator who
	// wants that to happen unattended sets this.
	ReplaceDisabled bool
}

// Production is the guide's preset for production tokens: rotated every
// 90 days, at least a week before expiry, living 100 days, with a day's
// grace. It returns a new copy each time, so that no caller can change
// another's preset.
func Production() Policy {
	return Policy{
		Name: "production", RotateEvery: 90 * Day, RotateBefore: 7 * Day, LifetimeDays: 100,
		Grace: 24 * time.Hour, ConsumerCacheTTL: time.Hour,
		WarnBefore: []time.Duration{14 * Day, 7 * Day, Day}, Strategy: StrategyRotate,
	}
}

// Development is the guide's preset for development tokens: as Production,
// but rotated every 180 days and living 190. It returns a new copy each
// time.
func Development() Policy {
	p := Production()
	p.Name, p.RotateEvery, p.LifetimeDays = "development", 180*Day, 190
	return p
}

// Preset returns a copy of a preset by name: "production" or
// "development".
func Preset(name string) (Policy, bool) {
	switch name {
	case "production":
		return Production(), true
	case "development":
		return Development(), true
	}
	return Policy{}, false
}

func clonePolicy(p Policy) Policy {
	p.WarnBefore = append([]time.Duration(nil), p.WarnBefore...)
	return p
}

// Snowflake's bounds.
const (
	maxLifetimeDays = 365
	maxGraceHours   = 720
)

// Validate reports the first rule the policy breaks, naming the field.
func (p Policy) Validate() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidPolicy, field, fmt.Sprintf(format, args...))
	}
	switch {
	case p.RotateEvery <= 0:
		return bad("rotateEvery", "must be positive")
	case p.RotateBefore < 0:
		return bad("rotateBefore", "must not be negative")
	case p.LifetimeDays < 1 || p.LifetimeDays > maxLifetimeDays:
		return bad("lifetimeDays", "must be 1 to %d, got %d", maxLifetimeDays, p.LifetimeDays)
	case time.Duration(p.LifetimeDays)*Day <= p.RotateEvery+p.RotateBefore:
		return bad("lifetimeDays", "%d days does not exceed rotateEvery (%s) plus rotateBefore (%s): a token could expire before its rotation",
			p.LifetimeDays, days(p.RotateEvery), days(p.RotateBefore))
	case p.Grace < time.Hour || p.Grace%time.Hour != 0 || p.Grace > maxGraceHours*time.Hour:
		// A grace of 0 expires the old secret the moment a new one is
		// minted, so a single failed store write leaves consumers with
		// nothing that works.
		return bad("grace", "must be whole hours from 1h to %dh, got %s: the old secret must outlive a failed install", maxGraceHours, p.Grace)
	case p.Grace < p.ConsumerCacheTTL:
		return bad("grace", "%s does not cover consumerCacheTTL %s: consumers would keep a secret that no longer works", p.Grace, p.ConsumerCacheTTL)
	case p.Grace > p.RotateBefore && p.Strategy != StrategyBlueGreen:
		return bad("grace", "%s is longer than rotateBefore %s: Snowflake refuses a grace beyond the old token's remaining life", p.Grace, days(p.RotateBefore))
	case p.ConsumerCacheTTL < 0:
		return bad("consumerCacheTTL", "must not be negative")
	case p.Strategy != "" && p.Strategy != StrategyRotate && p.Strategy != StrategyBlueGreen:
		return bad("strategy", "unknown strategy %q", p.Strategy)
	case p.MaxTokens < 0:
		return bad("maxTokens", "must not be negative")
	}
	for _, w := range p.WarnBefore {
		if w <= 0 {
			return bad("warnBefore", "thresholds must be positive, got %s", w)
		}
	}
	return nil
}

func (p Policy) strategy() Strategy {
	if p.Strategy == "" {
		return StrategyRotate
	}
	return p.Strategy
}

// days renders a duration in days when it is a whole number of them.
func days(d time.Duration) string {
	if d%Day == 0 {
		return fmt.Sprintf("%dd", d/Day)
	}
	return d.String()
}
