package pat

import "fmt"

// Bounds from Snowflake's documentation, checked before any SQL is sent so
// that a bad value fails fast with a message naming the field instead of a
// round trip and a generic "invalid value".
const (
	// DefaultMaxDaysToExpiry is Snowflake's longest token lifetime when no
	// authentication policy lowers it.
	DefaultMaxDaysToExpiry = 365
	// MaxBypassMinutes is the upper bound of
	// MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT.
	MaxBypassMinutes = 1440
)

// Limits are the account-specific bounds the Client checks. The zero value
// means Snowflake's defaults.
type Limits struct {
	// MaxDaysToExpiry bounds DAYS_TO_EXPIRY. Set it to the authentication
	// policy's MAX_EXPIRY_IN_DAYS when one applies. 0 means
	// DefaultMaxDaysToExpiry.
	MaxDaysToExpiry int
	// MaxGraceHours bounds EXPIRE_ROTATED_TOKEN_AFTER_HOURS. 0 means
	// DefaultMaxGraceHours; Snowflake further caps it at the hours the old
	// secret has left.
	MaxGraceHours int
}

// DefaultMaxGraceHours is the longest grace any token can have: a token
// lives at most 365 days, and the grace cannot outlast the old secret.
const DefaultMaxGraceHours = 365 * 24

func (l Limits) maxGrace() int {
	if l.MaxGraceHours > 0 {
		return l.MaxGraceHours
	}
	return DefaultMaxGraceHours
}

func (l Limits) maxDays() int {
	if l.MaxDaysToExpiry <= 0 {
		return DefaultMaxDaysToExpiry
	}
	return l.MaxDaysToExpiry
}

func (l Limits) validateAdd(o AddOptions) error {
	if o.DaysToExpiry != 0 && (o.DaysToExpiry < 1 || o.DaysToExpiry > l.maxDays()) {
		return fmt.Errorf("%w: DAYS_TO_EXPIRY must be between 1 and %d, got %d", ErrInvalidArgument, l.maxDays(), o.DaysToExpiry)
	}
	if o.MinsToBypassNetworkPolicy != 0 {
		if err := validateBypass(o.MinsToBypassNetworkPolicy); err != nil {
			return err
		}
	}
	if o.RoleRestriction != "" {
		if err := validateObjectName("ROLE_RESTRICTION", o.RoleRestriction); err != nil {
			return err
		}
	} else if o.RoleRestrictionRequired {
		// The caller read the effective authentication policy and it
		// requires one; failing here saves a round trip that would fail the
		// same way. PUBLIC, granted to every user, is a valid choice.
		return fmt.Errorf("%w: ROLE_RESTRICTION must be set: the authentication policy requires it for this user", ErrRoleRestrictionRequired)
	}
	return validateText("COMMENT", o.Comment)
}

func (l Limits) validateRotate(o RotateOptions) error {
	switch {
	case o.GraceHours < 0:
		return fmt.Errorf("%w: EXPIRE_ROTATED_TOKEN_AFTER_HOURS must not be negative, got %d", ErrInvalidArgument, o.GraceHours)
	case o.ExpireImmediately && o.GraceHours != 0:
		return fmt.Errorf("%w: EXPIRE_ROTATED_TOKEN_AFTER_HOURS: set GraceHours or ExpireImmediately, not both", ErrInvalidArgument)
	case o.GraceHours > l.maxGrace():
		return fmt.Errorf("%w: EXPIRE_ROTATED_TOKEN_AFTER_HOURS must be at most %d, got %d", ErrInvalidArgument, l.maxGrace(), o.GraceHours)
	}
	return nil
}

func validateBypass(minutes int) error {
	if minutes < 1 || minutes > MaxBypassMinutes {
		return fmt.Errorf("%w: MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT must be between 1 and %d, got %d", ErrInvalidArgument, MaxBypassMinutes, minutes)
	}
	return nil
}

func validateServiceUser(u ServiceUser) error {
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	for _, f := range []struct{ field, name string }{
		{"DEFAULT_ROLE", u.DefaultRole},
		{"DEFAULT_WAREHOUSE", u.DefaultWarehouse},
		{"NETWORK_POLICY", u.NetworkPolicy},
	} {
		if f.name == "" {
			continue
		}
		if err := validateObjectName(f.field, f.name); err != nil {
			return err
		}
	}
	return validateText("COMMENT", u.Comment)
}
