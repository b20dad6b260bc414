package pattest

import (
	"fmt"
	"net/netip"
	"strings"
)

func (s *Server) createRole(ss *session, st createRoleStmt) (*result, *Error) {
	if !s.has(ss, "USERADMIN") {
		return nil, errPrivileges("account")
	}
	if _, ok := s.acct.roles[st.name]; ok {
		if st.ifNotExists {
			return statusResult(fmt.Sprintf("%s already exists, statement succeeded.", st.name)), nil
		}
		return nil, errExists(st.name)
	}
	s.acct.roles[st.name] = &role{name: st.name, owner: ss.role, createdOn: s.clock.Now()}
	return statusResult(fmt.Sprintf("Role %s successfully created.", st.name)), nil
}

func (s *Server) dropRole(ss *session, st dropRoleStmt) (*result, *Error) {
	r, ok := s.acct.roles[st.name]
	if !ok {
		if st.ifExists {
			return statusResult(fmt.Sprintf("Drop statement executed successfully (%s already dropped).", st.name)), nil
		}
		return nil, errNotExist("Role", st.name)
	}
	if _, system := systemRoleChildren[r.name]; system || r.name == "USERADMIN" || r.name == "SYSADMIN" || r.name == "PUBLIC" {
		return nil, errPrivileges(fmt.Sprintf("role '%s'", r.name))
	}
	if !s.has(ss, r.owner) && !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("role '%s'", r.name))
	}
	delete(s.acct.roles, r.name)
	for _, u := range s.acct.users {
		delete(u.roles, r.name)
	}
	for _, g := range s.acct.pamGrants {
		delete(g, r.name)
	}
	return statusResult(fmt.Sprintf("%s successfully dropped.", r.name)), nil
}

func (s *Server) grantRole(ss *session, st grantRoleStmt) (*result, *Error) {
	r, ok := s.acct.roles[st.role]
	if !ok {
		return nil, errNotExist("Role", st.role)
	}
	u, ok := s.acct.users[st.user]
	if !ok {
		return nil, errNotExist("User", st.user)
	}
	if !s.has(ss, "SECURITYADMIN") && !s.has(ss, r.owner) {
		return nil, errPrivileges(fmt.Sprintf("role '%s'", r.name))
	}
	if st.revoke {
		delete(u.roles, r.name)
		delete(u.grants, r.name)
	} else if !u.roles[r.name] {
		u.roles[r.name] = true
		if u.grants == nil {
			u.grants = map[string]grantRecord{}
		}
		u.grants[r.name] = grantRecord{on: s.clock.Now(), by: ss.role}
	}
	return statusResult("Statement executed successfully."), nil
}

func (s *Server) grantOnUser(ss *session, st grantOnUserStmt) (*result, *Error) {
	u, ok := s.acct.users[st.user]
	if !ok {
		return nil, errNotExist("User", st.user)
	}
	if _, ok := s.acct.roles[st.role]; !ok {
		return nil, errNotExist("Role", st.role)
	}
	if !s.ownsUser(ss, u) && !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	switch {
	case st.privilege == "OWNERSHIP":
		u.owner = st.role
	case st.revoke:
		delete(s.acct.pamGrants[u.name], st.role)
	default:
		if s.acct.pamGrants[u.name] == nil {
			s.acct.pamGrants[u.name] = map[string]bool{}
		}
		s.acct.pamGrants[u.name][st.role] = true
	}
	return statusResult("Statement executed successfully."), nil
}

// useRole switches the session's role. A session that logged in with a
// role-restricted token is confined to that role.
func (s *Server) useRole(ss *session, st useRoleStmt) (*result, *Error) {
	if rr := ss.restrictedRole(); rr != "" && st.role != rr {
		return nil, errRoleRestricted(rr)
	}
	if _, ok := s.acct.roles[st.role]; !ok || !ss.user.hasRole(st.role) {
		return nil, errNotExist("Role", st.role)
	}
	ss.role = st.role
	return statusResult("Statement executed successfully."), nil
}

func parseIPList(param string, v propValue) ([]netip.Prefix, []string, *Error) {
	items, ok := v.asStringList()
	if !ok {
		return nil, nil, errInvalidValue(param, v.text)
	}
	var out []netip.Prefix
	for _, it := range items {
		it = strings.TrimSpace(it)
		var p netip.Prefix
		var err error
		if strings.Contains(it, "/") {
			p, err = netip.ParsePrefix(it)
		} else {
			var a netip.Addr
			a, err = netip.ParseAddr(it)
			if err == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil {
			return nil, nil, errInvalidValue(param, it)
		}
		out = append(out, p.Masked())
	}
	return out, items, nil
}

func (s *Server) networkPolicyProps(np *networkPolicy, props []prop) *Error {
	for _, p := range props {
		switch p.key {
		case "ALLOWED_IP_LIST":
			l, raw, e := parseIPList(p.key, p.val)
			if e != nil {
				return e
			}
			np.allowed, np.allowedRaw = l, raw
		case "BLOCKED_IP_LIST":
			l, raw, e := parseIPList(p.key, p.val)
			if e != nil {
				return e
			}
			np.blocked, np.blockedRaw = l, raw
		case "COMMENT":
			np.comment = p.val.text
		default:
			return errUnknownProperty(p)
		}
	}
	return nil
}

func (s *Server) createNetworkPolicy(ss *session, st createNetworkPolicy) (*result, *Error) {
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges("account")
	}
	if _, ok := s.acct.netPolicies[st.name]; ok && !st.orReplace {
		if st.ifNotExists {
			return statusResult(fmt.Sprintf("%s already exists, statement succeeded.", st.name)), nil
		}
		return nil, errExists(st.name)
	}
	np := &networkPolicy{name: st.name}
	if e := s.networkPolicyProps(np, st.props); e != nil {
		return nil, e
	}
	s.acct.netPolicies[np.name] = np
	return statusResult(fmt.Sprintf("Network policy %s successfully created.", np.name)), nil
}

func (s *Server) alterNetworkPolicy(ss *session, st alterNetworkPolicy) (*result, *Error) {
	np, ok := s.acct.netPolicies[st.name]
	if !ok {
		return nil, errNotExist("Network policy", st.name)
	}
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("network policy '%s'", st.name))
	}
	cp := *np
	if e := s.networkPolicyProps(&cp, st.set); e != nil {
		return nil, e
	}
	*np = cp
	return statusResult("Statement executed successfully."), nil
}

func (s *Server) dropNetworkPolicy(ss *session, st dropNetworkPolicy) (*result, *Error) {
	if _, ok := s.acct.netPolicies[st.name]; !ok {
		if st.ifExists {
			return statusResult("Statement executed successfully."), nil
		}
		return nil, errNotExist("Network policy", st.name)
	}
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("network policy '%s'", st.name))
	}
	if s.acct.accountNetPolicy == st.name {
		return nil, &Error{CodeInvalidValue, "22023", fmt.Sprintf("Cannot drop network policy '%s' as it is associated with the account.", st.name)}
	}
	for _, u := range s.acct.users {
		if u.networkPolicy == st.name {
			return nil, &Error{CodeInvalidValue, "22023", fmt.Sprintf("Cannot drop network policy '%s' as it is associated with user '%s'.", st.name, u.name)}
		}
	}
	delete(s.acct.netPolicies, st.name)
	return statusResult(fmt.Sprintf("%s successfully dropped.", st.name)), nil
}

var knownAuthMethods = map[string]bool{"ALL": true, "PASSWORD": true, "KEYPAIR": true, "PROGRAMMATIC_ACCESS_TOKEN": true, "OAUTH": true, "SAML": true, "WORKLOAD_IDENTITY": true}

func (s *Server) authPolicyProps(ap *authPolicy, props []prop) *Error {
	for _, p := range props {
		switch p.key {
		case "AUTHENTICATION_METHODS":
			items, ok := p.val.asStringList()
			if !ok || len(items) == 0 {
				return errInvalidValue(p.key, p.val.text)
			}
			for i, m := range items {
				items[i] = strings.ToUpper(m)
				if !knownAuthMethods[items[i]] {
					return errInvalidValue(p.key, m)
				}
			}
			ap.methods = items
		case "PAT_POLICY":
			if p.val.kind != tokPunct || len(p.val.items) > 0 {
				return errInvalidValue(p.key, p.val.text)
			}
			pp := ap.pat
			for _, q := range p.val.props {
				switch q.key {
				case "DEFAULT_EXPIRY_IN_DAYS", "MAX_EXPIRY_IN_DAYS":
					n, ok := q.val.asInt()
					if !ok || n < 1 || n > maxExpiryDays {
						return errInvalidValue(q.key, q.val.text)
					}
					if q.key == "DEFAULT_EXPIRY_IN_DAYS" {
						pp.defaultExpiryDays = n
					} else {
						pp.maxExpiryDays = n
					}
				case "NETWORK_POLICY_EVALUATION":
					v, _ := q.val.asString()
					v = strings.ToUpper(v)
					if v != "ENFORCED_REQUIRED" && v != "ENFORCED_NOT_REQUIRED" && v != "NOT_ENFORCED" {
						return errInvalidValue(q.key, q.val.text)
					}
					pp.networkEvaluation = v
				case "REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS", "REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS":
					b, ok := q.val.asBool()
					if !ok {
						return errInvalidValue(q.key, q.val.text)
					}
					if q.key == "REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS" {
						pp.requireRoleForService = b
					} else {
						pp.requireRoleForPerson = b
					}
				case "BLOCKED_ROLES_LIST":
					roles, e := roleList(q)
					if e != nil {
						return e
					}
					pp.blockedRoles = roles
				default:
					return errUnknownProperty(q)
				}
			}
			if pp.defaultExpiryDays > pp.maxExpiryDays {
				return errInvalidValue("DEFAULT_EXPIRY_IN_DAYS", fmt.Sprint(pp.defaultExpiryDays))
			}
			ap.pat = pp
		case "COMMENT":
			ap.comment = p.val.text
		default:
			return errUnknownProperty(p)
		}
	}
	return nil
}

// roleList reads BLOCKED_ROLES_LIST = ('R1', 'R2') or (R1, R2). The
// release note names the property but shows no example; a parenthesised
// list of string literals, like AUTHENTICATION_METHODS, is assumed, and
// bare identifiers are accepted too. Names fold to upper case unless
// quoted as identifiers.
func roleList(q prop) ([]string, *Error) {
	if q.val.kind != tokPunct || len(q.val.props) > 0 {
		return nil, errInvalidValue(q.key, q.val.text)
	}
	out := make([]string, 0, len(q.val.items))
	for _, it := range q.val.items {
		r, ok := it.asString()
		if !ok || r == "" {
			return nil, errInvalidValue(q.key, it.text)
		}
		if it.kind != tokQIdent {
			r = upperASCII(r)
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Server) createAuthPolicy(ss *session, st createAuthPolicy) (*result, *Error) {
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges("account")
	}
	if _, ok := s.acct.authPolicies[st.name]; ok && !st.orReplace {
		if st.ifNotExists {
			return statusResult(fmt.Sprintf("%s already exists, statement succeeded.", st.name)), nil
		}
		return nil, errExists(st.name)
	}
	ap := &authPolicy{name: st.name, pat: defaultPATPolicy(), owner: ss.role, createdOn: s.clock.Now()}
	if e := s.authPolicyProps(ap, st.props); e != nil {
		return nil, e
	}
	s.acct.authPolicies[ap.name] = ap
	return statusResult(fmt.Sprintf("Authentication policy %s successfully created.", ap.name)), nil
}

func (s *Server) alterAuthPolicy(ss *session, st alterAuthPolicy) (*result, *Error) {
	ap, ok := s.acct.authPolicies[st.name]
	if !ok {
		return nil, errNotExist("Authentication policy", st.name)
	}
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("authentication policy '%s'", st.name))
	}
	cp := *ap
	if e := s.authPolicyProps(&cp, st.set); e != nil {
		return nil, e
	}
	*ap = cp
	return statusResult("Statement executed successfully."), nil
}

func (s *Server) dropAuthPolicy(ss *session, st dropAuthPolicy) (*result, *Error) {
	if _, ok := s.acct.authPolicies[st.name]; !ok {
		if st.ifExists {
			return statusResult("Statement executed successfully."), nil
		}
		return nil, errNotExist("Authentication policy", st.name)
	}
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("authentication policy '%s'", st.name))
	}
	if s.acct.accountAuthPolicy == st.name {
		return nil, &Error{CodeInvalidValue, "22023", fmt.Sprintf("Cannot drop authentication policy '%s' as it is attached to the account.", st.name)}
	}
	for _, u := range s.acct.users {
		if u.authPolicy == st.name {
			return nil, &Error{CodeInvalidValue, "22023", fmt.Sprintf("Cannot drop authentication policy '%s' as it is attached to user '%s'.", st.name, u.name)}
		}
	}
	delete(s.acct.authPolicies, st.name)
	return statusResult(fmt.Sprintf("%s successfully dropped.", st.name)), nil
}

func (s *Server) alterAccount(ss *session, st alterAccountStmt) (*result, *Error) {
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges("account")
	}
	if st.setNetworkPolicy != nil {
		if n := *st.setNetworkPolicy; n != "" {
			if _, ok := s.acct.netPolicies[n]; !ok {
				return nil, errNotExist("Network policy", n)
			}
		}
		s.acct.accountNetPolicy = *st.setNetworkPolicy
	}
	if st.setAuthPolicy != nil {
		if n := *st.setAuthPolicy; n != "" {
			if _, ok := s.acct.authPolicies[n]; !ok {
				return nil, errNotExist("Authentication policy", n)
			}
		}
		s.acct.accountAuthPolicy = *st.setAuthPolicy
	}
	return statusResult("Statement executed successfully."), nil
}
