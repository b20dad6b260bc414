package pat

import (
	"context"
	"fmt"
)

// AddOptions are the optional clauses of ALTER USER … ADD PROGRAMMATIC
// ACCESS TOKEN. Zero values leave a clause out, so Snowflake's defaults
// apply.
type AddOptions struct {
	// IfNotExists adds IF NOT EXISTS: an existing token is then not an
	// error, and the result has Existed set and no secret.
	IfNotExists bool
	// RoleRestriction is the role the token's sessions are limited to,
	// as Snowflake stores the role's name.
	RoleRestriction string
	// DaysToExpiry is the token's lifetime, 1 to Limits.MaxDaysToExpiry.
	// 0 means Snowflake's default (15 days, or the authentication policy's
	// DEFAULT_EXPIRY_IN_DAYS). It cannot be changed later.
	DaysToExpiry int
	// MinsToBypassNetworkPolicy lets a PERSON user use the token without a
	// network policy for 1 to 1440 minutes. 0 leaves it out.
	MinsToBypassNetworkPolicy int
	// Comment is stored with the token. Empty leaves it out.
	Comment string
	// RoleRestrictionRequired says that the authentication policy in force
	// for the user requires a ROLE_RESTRICTION, so that the Client refuses,
	// before sending anything, a token without one (ErrRoleRestrictionRequired).
	// Fill it from the effective policy:
	//
	//	pp, err := c.PATPolicy(ctx, user)
	//	o.RoleRestrictionRequired = err == nil && pp.RequiresRoleRestriction(info.Type)
	//
	// Snowflake's defaults require one for SERVICE and LEGACY_SERVICE users
	// and not for PERSON users; a policy may lift the first
	// (REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE) or impose the
	// second (REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS = TRUE). Left false,
	// the Client checks nothing and Snowflake decides.
	RoleRestrictionRequired bool
}

// errNoSecret reports an ADD or ROTATE result without a secret. It names no
// value: there is none to name, and the row may hold other text.
var errNoSecret = fmt.Errorf("%w: result has no token_secret", ErrMalformedResult)

// Add creates a token named name for user and returns its secret, which
// Snowflake shows only this once.
func (c *Client) Add(ctx context.Context, user, name string, o AddOptions) (AddResult, error) {
	tok, err := checkTarget(user, name)
	op := tokenOp("add", user, orName(tok, name))
	if err == nil {
		err = c.limits.validateAdd(o)
	}
	if err != nil {
		return AddResult{}, withOp(op, err)
	}
	query, err := addTokenSQL(user, tok, o)
	if err != nil {
		return AddResult{}, withOp(op, err)
	}
	rows, err := c.query(ctx, query, nil)
	if err != nil {
		return AddResult{}, withOp(op, err)
	}
	res, err := addResultFrom(rows, tok, o.IfNotExists)
	return res, withOp(op, err)
}

// addResultFrom reads ADD's result by column name. With IF NOT EXISTS an
// existing token yields no secret (no row, no token_secret column, or a
// NULL one); without it a missing secret is an error, since the token was
// created and its secret lost.
func addResultFrom(rows []row, tok string, ifNotExists bool) (AddResult, error) {
	res := AddResult{TokenName: tok}
	var r row
	if len(rows) > 0 {
		r = rows[0]
	}
	if name, err := cellString(r["token_name"]); err == nil && name != "" {
		res.TokenName = name
	}
	text, err := cellString(r["token_secret"])
	if err != nil {
		return AddResult{}, errNoSecret
	}
	if text == "" {
		if ifNotExists {
			res.Existed = true
			return res, nil
		}
		return AddResult{}, errNoSecret
	}
	res.Secret = NewSecret(text)
	return res, nil
}
