package pattest

import "fmt"

// execute parses and runs one statement for a session. Called with s.mu
// held; the whole statement is atomic with respect to other sessions.
func (s *Server) execute(ss *session, sql string, binds []*string) (*result, *Error) {
	st, e := parseStatement(sql)
	if e != nil {
		s.stmtCounts["INVALID"]++
		return nil, e
	}
	s.stmtCounts[st.kind()]++
	switch st := st.(type) {
	case createUserStmt:
		return s.createUser(ss, st)
	case alterUserSetStmt:
		return s.alterUser(ss, st)
	case alterUserAuthPolicyStmt:
		return s.alterUserAuthPolicy(ss, st)
	case dropUserStmt:
		return s.dropUser(ss, st)
	case describeUserStmt:
		return s.describeUser(ss, st)
	case showUsersStmt:
		return s.showUsers(ss, st)
	case createRoleStmt:
		return s.createRole(ss, st)
	case dropRoleStmt:
		return s.dropRole(ss, st)
	case grantRoleStmt:
		return s.grantRole(ss, st)
	case grantOnUserStmt:
		return s.grantOnUser(ss, st)
	case useRoleStmt:
		return s.useRole(ss, st)
	case createNetworkPolicy:
		return s.createNetworkPolicy(ss, st)
	case alterNetworkPolicy:
		return s.alterNetworkPolicy(ss, st)
	case dropNetworkPolicy:
		return s.dropNetworkPolicy(ss, st)
	case createAuthPolicy:
		return s.createAuthPolicy(ss, st)
	case alterAuthPolicy:
		return s.alterAuthPolicy(ss, st)
	case dropAuthPolicy:
		return s.dropAuthPolicy(ss, st)
	case alterAccountStmt:
		return s.alterAccount(ss, st)
	case addPATStmt:
		return s.addPAT(ss, st)
	case rotatePATStmt:
		return s.rotatePAT(ss, st)
	case modifyPATStmt:
		return s.modifyPAT(ss, st)
	case removePATStmt:
		return s.removePAT(ss, st)
	case showPATsStmt:
		return s.showPATs(ss, st)
	case selectStmt:
		return s.selectExprs(ss, st, binds)
	case alterSessionStmt:
		return s.alterSession(ss, st)
	case showAuthPoliciesStmt:
		return s.showAuthPolicies(ss, st)
	case describeAuthPolicyStmt:
		return s.describeAuthPolicy(ss, st)
	case showGrantsToUserStmt:
		return s.showGrantsToUser(ss, st)
	}
	return nil, errUnsupported(fmt.Sprintf("%T", st))
}

// Privilege checks. They follow Snowflake's model closely enough for PAT
// administration: the system role hierarchy, ownership of users, and the
// MODIFY PROGRAMMATIC AUTHENTICATION METHODS privilege.

func (s *Server) has(ss *session, role string) bool { return effectiveRoles(ss.role)[role] }

func (s *Server) ownsUser(ss *session, u *user) bool { return effectiveRoles(ss.role)[u.owner] }

// canManagePATs: a PERSON user manages its own tokens; for another user,
// or any service user, the session's role needs OWNERSHIP of the user or
// MODIFY PROGRAMMATIC AUTHENTICATION METHODS on it.
func (s *Server) canManagePATs(ss *session, u *user) bool {
	if ss.user == u && !u.isService() {
		return true
	}
	eff := effectiveRoles(ss.role)
	if eff[u.owner] {
		return true
	}
	for r := range s.acct.pamGrants[u.name] {
		if eff[r] {
			return true
		}
	}
	return false
}
