package pat

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// GrantedRoles returns the roles granted to user, sorted, as SHOW GRANTS TO
// USER lists them. PUBLIC, which every user holds, is included whether or
// not the listing shows it. It reads the role column when the result has
// one and otherwise the name of rows granted on a ROLE, so that it works
// with the columns from before and after Snowflake's 2025_01 behaviour
// change bundle. Listing another user's grants needs privileges on that
// user; a refusal matches ErrPermissionDenied or is unclassified.
func (c *Client) GrantedRoles(ctx context.Context, user string) ([]string, error) {
	op := fmt.Sprintf("list roles granted to user %q", user)
	if err := ValidateUserName(user); err != nil {
		return nil, withOp(op, err)
	}
	query, err := showGrantsToUserSQL(user)
	if err != nil {
		return nil, withOp(op, err)
	}
	rows, err := c.query(ctx, query, nil)
	if err != nil {
		return nil, withOp(op, err)
	}
	roles, err := rolesFromGrants(rows)
	return roles, withOp(op, err)
}

func rolesFromGrants(rows []row) ([]string, error) {
	seen := map[string]bool{"PUBLIC": true}
	for _, r := range rows {
		var role string
		if r.has("role") {
			s, err := cellString(r["role"])
			if err != nil {
				return nil, fmt.Errorf("%w: SHOW GRANTS column role: %w", ErrMalformedResult, err)
			}
			role = s
		}
		if role == "" {
			on, _ := cellString(r["granted_on"])
			if !strings.EqualFold(strings.TrimSpace(on), "ROLE") {
				continue
			}
			s, err := cellString(r["name"])
			if err != nil {
				return nil, fmt.Errorf("%w: SHOW GRANTS column name: %w", ErrMalformedResult, err)
			}
			role = s
		}
		if role != "" {
			seen[role] = true
		}
	}
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out, nil
}
