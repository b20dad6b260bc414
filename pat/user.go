package pat

import (
	"context"
	"fmt"
	"strings"
)

// ServiceUser describes a TYPE = SERVICE user to create: a user that cannot
// log in interactively, the kind BI tools and services should use. Names
// are as Snowflake stores them (see NormalizeName).
type ServiceUser struct {
	Name             string
	DefaultRole      string // optional
	DefaultWarehouse string // optional
	Comment          string // optional
	// NetworkPolicy is optional here, but Snowflake refuses to give a
	// service user a token unless a network policy applies to it.
	NetworkPolicy string
	IfNotExists   bool
}

// CreateServiceUser runs CREATE USER … TYPE = SERVICE. With IfNotExists an
// existing user is left as it is, and not an error.
func (c *Client) CreateServiceUser(ctx context.Context, u ServiceUser) error {
	op := fmt.Sprintf("create service user %q", u.Name)
	if err := validateServiceUser(u); err != nil {
		return withOp(op, err)
	}
	query, err := createServiceUserSQL(u)
	if err != nil {
		return withOp(op, err)
	}
	return withOp(op, c.exec(ctx, query))
}

// GrantRole grants role to user. A token restricted to a role needs the
// user to hold it.
func (c *Client) GrantRole(ctx context.Context, role, user string) error {
	op := fmt.Sprintf("grant role %q to user %q", role, user)
	if err := validateObjectName("role name", role); err != nil {
		return withOp(op, err)
	}
	if err := ValidateUserName(user); err != nil {
		return withOp(op, err)
	}
	query, err := grantRoleSQL(role, user)
	if err != nil {
		return withOp(op, err)
	}
	return withOp(op, c.exec(ctx, query))
}

// UserInfo is what DESCRIBE USER reports, with the properties token
// management cares about picked out. Properties holds every property
// reported, upper-case name to value, with NULL as "".
type UserInfo struct {
	Name             string
	Type             string // PERSON, SERVICE, LEGACY_SERVICE; empty (NULL) means PERSON
	Disabled         bool
	NetworkPolicy    string // only when DESCRIBE USER reports it; check SHOW PARAMETERS otherwise
	DefaultRole      string
	DefaultWarehouse string
	Comment          string
	LoginName        string
	HasRSAPublicKey  bool // either key-pair slot holds a key
	Properties       map[string]string
}

// IsService reports whether the user is a SERVICE or LEGACY_SERVICE user,
// whose tokens need a network policy and, by default, a role restriction.
func (u UserInfo) IsService() bool {
	return u.Type == "SERVICE" || u.Type == "LEGACY_SERVICE"
}

// DescribeUser runs DESCRIBE USER. A user that does not exist (or that the
// administrator cannot see) is ErrNotFound.
func (c *Client) DescribeUser(ctx context.Context, user string) (UserInfo, error) {
	op := fmt.Sprintf("describe user %q", user)
	if err := ValidateUserName(user); err != nil {
		return UserInfo{}, withOp(op, err)
	}
	query, err := describeUserSQL(user)
	if err != nil {
		return UserInfo{}, withOp(op, err)
	}
	rows, err := c.query(ctx, query, nil)
	if err != nil {
		return UserInfo{}, withOp(op, err)
	}
	info, err := userInfoFromRows(rows)
	return info, withOp(op, err)
}

// userInfoFromRows reads DESCRIBE USER's property/value rows by column
// name. Some tools call the value column property_value; both are read.
// DESCRIBE writes NULL as the text null, which becomes "".
func userInfoFromRows(rows []row) (UserInfo, error) {
	info := UserInfo{Properties: make(map[string]string, len(rows))}
	for _, r := range rows {
		prop, err := cellString(r["property"])
		if err != nil {
			return UserInfo{}, fmt.Errorf("DESCRIBE USER column property: %w", err)
		}
		v, ok := r["value"]
		if !ok {
			v = r["property_value"]
		}
		val, err := cellString(v)
		if err != nil {
			return UserInfo{}, fmt.Errorf("DESCRIBE USER property %s: %w", prop, err)
		}
		if strings.EqualFold(val, "null") {
			val = ""
		}
		prop = strings.ToUpper(strings.TrimSpace(prop))
		if prop == "" {
			continue
		}
		info.Properties[prop] = val
	}
	p := info.Properties
	info.Name = p["NAME"]
	info.Type = strings.ToUpper(p["TYPE"])
	info.NetworkPolicy = p["NETWORK_POLICY"]
	info.DefaultRole = p["DEFAULT_ROLE"]
	info.DefaultWarehouse = p["DEFAULT_WAREHOUSE"]
	info.Comment = p["COMMENT"]
	info.LoginName = p["LOGIN_NAME"]
	info.HasRSAPublicKey = p["RSA_PUBLIC_KEY_FP"] != "" || p["RSA_PUBLIC_KEY_2_FP"] != ""
	disabled, err := cellBool(p["DISABLED"])
	if err != nil {
		return UserInfo{}, fmt.Errorf("DESCRIBE USER property DISABLED: %w", err)
	}
	info.Disabled = disabled
	return info, nil
}
