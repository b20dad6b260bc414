package pat

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// PolicySource says where a user's effective PAT policy comes from.
type PolicySource string

// The places Snowflake takes the authentication policy from, in order.
const (
	PolicyFromUser     PolicySource = "user"     // the policy set on the user
	PolicyFromAccount  PolicySource = "account"  // the account's policy
	PolicyFromDefaults PolicySource = "defaults" // no policy: Snowflake's defaults
)

// PATPolicy is the PAT_POLICY of the authentication policy in force for a
// user. Its zero value is not meaningful; DefaultPATPolicy gives
// Snowflake's defaults.
type PATPolicy struct {
	Source PolicySource
	// Policy is the policy's qualified name (database.schema.name as SHOW
	// reports it); empty for PolicyFromDefaults.
	Policy string

	DefaultExpiryDays int
	MaxExpiryDays     int
	// NetworkPolicyEvaluation is ENFORCED_REQUIRED, ENFORCED_NOT_REQUIRED
	// or NOT_ENFORCED.
	NetworkPolicyEvaluation               string
	RequireRoleRestrictionForServiceUsers bool
	RequireRoleRestrictionForPersonUsers  bool
	// BlockedRoles are the roles no token may be restricted to; tokens
	// already restricted to one of them stop working.
	BlockedRoles []string
}

// DefaultPATPolicy is what applies when neither the user nor the account
// has an authentication policy: the values DESCRIBE AUTHENTICATION POLICY
// shows for a policy created without PAT_POLICY (Terraform provider live
// test): 15 and 365 days, ENFORCED_REQUIRED, a role restriction required
// for service users and not for person users, no blocked roles.
func DefaultPATPolicy() PATPolicy {
	return PATPolicy{
		Source: PolicyFromDefaults, DefaultExpiryDays: 15, MaxExpiryDays: DefaultMaxDaysToExpiry,
		NetworkPolicyEvaluation: "ENFORCED_REQUIRED", RequireRoleRestrictionForServiceUsers: true,
	}
}

// RequiresRoleRestriction reports whether a token of a user of userType
// (PERSON, SERVICE, LEGACY_SERVICE; empty means PERSON, as a NULL TYPE does)
// must name a ROLE_RESTRICTION. Use it to fill
// AddOptions.RoleRestrictionRequired.
func (p PATPolicy) RequiresRoleRestriction(userType string) bool {
	switch strings.ToUpper(strings.TrimSpace(userType)) {
	case "SERVICE", "LEGACY_SERVICE":
		return p.RequireRoleRestrictionForServiceUsers
	}
	return p.RequireRoleRestrictionForPersonUsers
}

// Blocks reports whether role is in BlockedRoles.
func (p PATPolicy) Blocks(role string) bool {
	for _, r := range p.BlockedRoles {
		if r == role {
			return true
		}
	}
	return false
}

// Limits are the Client bounds this policy implies.
func (p PATPolicy) Limits() Limits { return Limits{MaxDaysToExpiry: p.MaxExpiryDays} }

// PATPolicy reads the PAT policy in force for user: the authentication
// policy set on the user (SHOW AUTHENTICATION POLICIES ON USER), else the
// account's (… ON ACCOUNT), else DefaultPATPolicy; a policy found is read
// with DESCRIBE AUTHENTICATION POLICY, whose PAT_POLICY row holds the
// values. Reading policies needs APPLY AUTHENTICATION POLICY on the account
// (SECURITYADMIN has it) or ownership of the policy: without it the error
// matches ErrPermissionDenied (or is unclassified), and the caller must
// treat the policy as unknown rather than as the defaults.
func (c *Client) PATPolicy(ctx context.Context, user string) (PATPolicy, error) {
	op := fmt.Sprintf("read the PAT policy of user %q", user)
	if err := ValidateUserName(user); err != nil {
		return PATPolicy{}, withOp(op, err)
	}
	onUser, err := showPoliciesOnUserSQL(user)
	if err != nil {
		return PATPolicy{}, withOp(op, err)
	}
	for _, src := range []struct {
		source PolicySource
		query  string
	}{{PolicyFromUser, onUser}, {PolicyFromAccount, showPoliciesOnAccountSQL}} {
		rows, err := c.query(ctx, src.query, nil)
		if err != nil {
			return PATPolicy{}, withOp(op, err)
		}
		if len(rows) == 0 {
			continue
		}
		p, err := c.describePolicy(ctx, rows[0])
		if err != nil {
			return PATPolicy{}, withOp(op, err)
		}
		p.Source = src.source
		return p, nil
	}
	return DefaultPATPolicy(), nil
}

// describePolicy runs DESCRIBE AUTHENTICATION POLICY on the policy a SHOW
// row names, qualified by its database and schema.
func (c *Client) describePolicy(ctx context.Context, r row) (PATPolicy, error) {
	name, err := cellString(r["name"])
	if err != nil || name == "" {
		return PATPolicy{}, fmt.Errorf("%w: SHOW AUTHENTICATION POLICIES row without a name", ErrMalformedResult)
	}
	db, _ := cellString(r["database_name"])
	schema, _ := cellString(r["schema_name"])
	if db == "" || schema == "" {
		db, schema = "", ""
	}
	query, err := describePolicySQL(db, schema, name)
	if err != nil {
		return PATPolicy{}, err
	}
	rows, err := c.query(ctx, query, nil)
	if err != nil {
		return PATPolicy{}, err
	}
	p := DefaultPATPolicy()
	p.Policy = strings.TrimPrefix(db+"."+schema+"."+name, "..")
	for _, pr := range rows {
		prop, _ := cellString(pr["property"])
		if !strings.EqualFold(strings.TrimSpace(prop), "PAT_POLICY") {
			continue
		}
		text, err := cellString(pr["value"])
		if err != nil {
			return PATPolicy{}, fmt.Errorf("%w: DESCRIBE AUTHENTICATION POLICY PAT_POLICY: %w", ErrMalformedResult, err)
		}
		if err := parsePATPolicy(text, &p); err != nil {
			return PATPolicy{}, err
		}
	}
	return p, nil
}

// parsePATPolicy reads DESCRIBE AUTHENTICATION POLICY's PAT_POLICY value,
// recorded from live Snowflake as
// {DEFAULT_EXPIRY_IN_DAYS=15, MAX_EXPIRY_IN_DAYS=365, NETWORK_POLICY_EVALUATION=ENFORCED_REQUIRED,
// REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=true, REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS=false, BLOCKED_ROLES_LIST=[]}.
// Keys it does not know are ignored; keys it knows must have readable
// values, or the result is ErrMalformedResult: a policy read wrong is worse
// than one not read.
func parsePATPolicy(text string, p *PATPolicy) error {
	bad := func(what string) error {
		return fmt.Errorf("%w: PAT_POLICY %s", ErrMalformedResult, what)
	}
	body := strings.TrimSpace(text)
	if body == "" || strings.EqualFold(body, "null") {
		return nil
	}
	if !strings.HasPrefix(body, "{") || !strings.HasSuffix(body, "}") {
		return bad("is not a {KEY=VALUE, …} list")
	}
	body = body[1 : len(body)-1]
	for len(strings.TrimSpace(body)) > 0 {
		key, rest, ok := strings.Cut(body, "=")
		if !ok {
			return bad("has an entry without '='")
		}
		key = strings.ToUpper(strings.TrimSpace(key))
		rest = strings.TrimLeft(rest, " ")
		var val string
		if strings.HasPrefix(rest, "[") {
			end := strings.Index(rest, "]")
			if end < 0 {
				return bad("has an unclosed list")
			}
			val, rest = rest[:end+1], rest[end+1:]
			rest = strings.TrimLeft(strings.TrimSpace(rest), ",")
		} else {
			val, rest, _ = strings.Cut(rest, ",")
		}
		body = rest
		val = strings.TrimSpace(val)
		switch key {
		case "DEFAULT_EXPIRY_IN_DAYS", "MAX_EXPIRY_IN_DAYS":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return bad(key + " is not a positive number")
			}
			if key == "DEFAULT_EXPIRY_IN_DAYS" {
				p.DefaultExpiryDays = n
			} else {
				p.MaxExpiryDays = n
			}
		case "NETWORK_POLICY_EVALUATION":
			p.NetworkPolicyEvaluation = strings.ToUpper(val)
		case "REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS", "REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS":
			b, err := strconv.ParseBool(val)
			if err != nil {
				return bad(key + " is not true or false")
			}
			if key == "REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS" {
				p.RequireRoleRestrictionForServiceUsers = b
			} else {
				p.RequireRoleRestrictionForPersonUsers = b
			}
		case "BLOCKED_ROLES_LIST":
			if !strings.HasPrefix(val, "[") {
				return bad(key + " is not a [list]")
			}
			p.BlockedRoles = nil
			for _, r := range strings.Split(strings.Trim(val, "[]"), ",") {
				if r = strings.TrimSpace(r); r != "" {
					p.BlockedRoles = append(p.BlockedRoles, r)
				}
			}
		}
	}
	return nil
}
