package pat

import "fmt"

// roleCause explains a refused ACTIVE token restricted to role: the policy
// blocks the role, or the user no longer holds it. Each check is skipped
// when admin may not make it; with neither, the cause is inferred.
func (g diagnoser) roleCause(d Diagnosis, owner, name, role string) (Diagnosis, error) {
	pp, perr := g.admin.PATPolicy(g.ctx, owner)
	if err := g.ctx.Err(); err != nil {
		return Diagnosis{}, err
	}
	if perr == nil && pp.Blocks(role) {
		where := "the account's authentication policy " + pp.Policy
		if pp.Source == PolicyFromUser {
			where = fmt.Sprintf("authentication policy %s of user %s", pp.Policy, owner)
		}
		d.Cause = CauseRoleBlocked
		d.Hint = fmt.Sprintf("token %s is restricted to role %s, which %s lists in its PAT_POLICY BLOCKED_ROLES_LIST, and blocking a role invalidates the tokens restricted to it (granting the role again does not help): remove %s from BLOCKED_ROLES_LIST with ALTER AUTHENTICATION POLICY %s SET PAT_POLICY = (BLOCKED_ROLES_LIST = (…)), or create a token restricted to a role that is not blocked",
			name, role, where, role, pp.Policy)
		return d, nil
	}
	roles, gerr := g.admin.GrantedRoles(g.ctx, owner)
	if err := g.ctx.Err(); err != nil {
		return Diagnosis{}, err
	}
	if gerr == nil {
		held := false
		for _, r := range roles {
			held = held || r == role
		}
		if !held {
			d.Cause = CauseRoleNotGranted
			d.Hint = fmt.Sprintf("token %s is restricted to role %s, which user %s no longer holds (revoked, or the role was dropped; SHOW GRANTS TO USER does not list it): GRANT ROLE %s TO USER %s, or create a token restricted to a role the user holds",
				name, role, owner, sqlIdent(role), sqlIdent(owner))
			return d, nil
		}
		if perr == nil {
			d.Cause = CauseUnknown
			d.Hint = fmt.Sprintf("token %s of user %s is active, its role %s is held and not blocked, and Snowflake still refuses it: check the authentication policy %s (MAX_EXPIRY_IN_DAYS lowered below the token's lifetime, or AUTHENTICATION_METHODS without PROGRAMMATIC_ACCESS_TOKEN)",
				name, owner, role, orDefault(pp.Policy, "in force"))
			return d, nil
		}
	}
	d.Cause = CauseRoleNotGranted
	d.Hint = fmt.Sprintf("token %s is restricted to role %s and is otherwise valid, so %s was most likely revoked from user %s or dropped, or is blocked by the authentication policy (inferred: the administrator may read neither SHOW GRANTS TO USER %s nor the authentication policy): GRANT ROLE %s TO USER %s, or create a token restricted to another role",
		name, role, role, owner, sqlIdent(owner), sqlIdent(role), sqlIdent(owner))
	return d, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
