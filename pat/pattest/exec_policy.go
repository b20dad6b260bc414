package pattest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// alterSession applies ALTER SESSION SET/UNSET to the session's
// parameters; the next responses carry the new values.
func (s *Server) alterSession(ss *session, st alterSessionStmt) (*result, *Error) {
	next := newSessionParams()
	for k, v := range ss.params {
		next[k] = v
	}
	for _, p := range st.set {
		var raw any = p.val.text
		switch p.val.kind {
		case tokNumber:
			raw = p.val.text // coerced by the parameter's type
		case tokIdent:
			if b, ok := p.val.asBool(); ok {
				raw = b
			}
		case tokPunct:
			return nil, errInvalidValue(p.key, p.val.text)
		}
		if e := next.set(p.key, raw); e != nil {
			return nil, e
		}
	}
	for _, k := range st.unset {
		if e := next.unset(k); e != nil {
			return nil, e
		}
	}
	ss.params = next
	return statusResult("Statement executed successfully."), nil
}

// canReadPolicy: DESCRIBE AUTHENTICATION POLICY needs APPLY AUTHENTICATION
// POLICY on the account (SECURITYADMIN and above by default) or OWNERSHIP
// of the policy (its reference page). The emulator applies the same rule
// to SHOW AUTHENTICATION POLICIES and refuses with 003001 rather than
// silently listing nothing, which Snowflake might do instead (assumed):
// a client then learns that it cannot know the policy, instead of taking
// the defaults for it.
func (s *Server) canReadPolicy(ss *session, ap *authPolicy) bool {
	if s.has(ss, "SECURITYADMIN") {
		return true
	}
	return ap != nil && ap.owner != "" && s.has(ss, ap.owner)
}

// showAuthPolicies answers SHOW AUTHENTICATION POLICIES with the columns
// the Terraform provider's SDK reads from live output: created_on, name,
// comment, database_name, schema_name, kind, owner, owner_role_type,
// options. ON USER lists the policy set on that user, ON ACCOUNT the
// account's; neither falls back to the other.
func (s *Server) showAuthPolicies(ss *session, st showAuthPoliciesStmt) (*result, *Error) {
	var names []string
	switch {
	case st.onUser != "":
		u, ok := s.acct.users[st.onUser]
		if !ok {
			return nil, errNotExist("User", st.onUser)
		}
		if !s.has(ss, "SECURITYADMIN") {
			return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
		}
		if u.authPolicy != "" {
			names = []string{u.authPolicy}
		}
	case st.onAccount:
		if !s.has(ss, "SECURITYADMIN") {
			return nil, errPrivileges("account")
		}
		if s.acct.accountAuthPolicy != "" {
			names = []string{s.acct.accountAuthPolicy}
		}
	default:
		for _, n := range sortedKeys(s.acct.authPolicies) {
			if s.canReadPolicy(ss, s.acct.authPolicies[n]) {
				names = append(names, n)
			}
		}
	}
	r := &result{cols: []column{
		{name: "created_on", typ: "timestamp_ltz"}, {name: "name", typ: "text"},
		{name: "comment", typ: "text"}, {name: "database_name", typ: "text", nullable: true},
		{name: "schema_name", typ: "text", nullable: true}, {name: "kind", typ: "text"},
		{name: "owner", typ: "text", nullable: true}, {name: "owner_role_type", typ: "text", nullable: true},
		{name: "options", typ: "text"},
	}, stmtType: stmtTypeShow}
	for _, n := range names {
		ap := s.acct.authPolicies[n]
		r.rows = append(r.rows, []*string{tsCell(ap.createdOn), strp(ap.name), strp(ap.comment),
			strp(policyDB), strp(policySchema), strp("AUTHENTICATION_POLICY"), nullable(ap.owner),
			strp("ROLE"), strp("")})
	}
	return r, nil
}

// describeAuthPolicy answers DESCRIBE AUTHENTICATION POLICY with
// property/value/default/description rows. PAT_POLICY's value has the
// shape recorded in the Terraform provider's live integration test:
// {DEFAULT_EXPIRY_IN_DAYS=15, MAX_EXPIRY_IN_DAYS=365,
// NETWORK_POLICY_EVALUATION=ENFORCED_REQUIRED,
// REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=true,
// REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS=false, BLOCKED_ROLES_LIST=[]}.
// How a non-empty BLOCKED_ROLES_LIST prints is assumed to follow
// AUTHENTICATION_METHODS ([PASSWORD, SAML]).
func (s *Server) describeAuthPolicy(ss *session, st describeAuthPolicyStmt) (*result, *Error) {
	ap, ok := s.acct.authPolicies[st.name]
	if !ok {
		return nil, errNotExist("Authentication policy", st.name)
	}
	if !s.canReadPolicy(ss, ap) {
		return nil, errPrivileges(fmt.Sprintf("authentication policy '%s'", ap.name))
	}
	methods := "[ALL]"
	if ap.methods != nil {
		methods = "[" + strings.Join(ap.methods, ", ") + "]"
	}
	def := defaultPATPolicy()
	rows := [][4]string{
		{"NAME", ap.name, "", "Name of the authentication policy."},
		{"OWNER", ap.owner, "", "Role that owns the authentication policy."},
		{"COMMENT", orNull(ap.comment), "null", "Comment associated with the authentication policy."},
		{"AUTHENTICATION_METHODS", methods, "[ALL]", "Authentication methods allowed during login."},
		{"PAT_POLICY", patPolicyText(ap.pat), patPolicyText(def), "Policy for programmatic access tokens."},
	}
	r := &result{cols: []column{
		{name: "property", typ: "text"}, {name: "value", typ: "text"},
		{name: "default", typ: "text"}, {name: "description", typ: "text"},
	}, stmtType: stmtTypeShow}
	for _, row := range rows {
		r.rows = append(r.rows, []*string{strp(row[0]), strp(row[1]), strp(row[2]), strp(row[3])})
	}
	return r, nil
}

func patPolicyText(p patPolicy) string {
	return fmt.Sprintf("{DEFAULT_EXPIRY_IN_DAYS=%d, MAX_EXPIRY_IN_DAYS=%d, NETWORK_POLICY_EVALUATION=%s, REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=%s, REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS=%s, BLOCKED_ROLES_LIST=[%s]}",
		p.defaultExpiryDays, p.maxExpiryDays, p.networkEvaluation,
		strconv.FormatBool(p.requireRoleForService), strconv.FormatBool(p.requireRoleForPerson),
		strings.Join(p.blockedRoles, ", "))
}

// showGrantsToUser answers SHOW GRANTS TO USER with the columns of the
// 2025_01 behaviour change bundle (created_on, privilege, granted_on, name,
// role, granted_to, grantee_name, grant_option, granted_by). For a role
// grant the emulator fills privilege USAGE, granted_on ROLE and both name
// and role with the role's name; those cell values are assumed. PUBLIC,
// which every user has, is not listed (assumed). A user may list its own
// grants; other users' grants need SECURITYADMIN or ownership of the user.
func (s *Server) showGrantsToUser(ss *session, st showGrantsToUserStmt) (*result, *Error) {
	u, ok := s.acct.users[st.user]
	if !ok {
		return nil, errNotExist("User", st.user)
	}
	if ss.user != u && !s.ownsUser(ss, u) && !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	r := &result{cols: []column{
		{name: "created_on", typ: "timestamp_ltz"}, {name: "privilege", typ: "text"},
		{name: "granted_on", typ: "text"}, {name: "name", typ: "text"}, {name: "role", typ: "text"},
		{name: "granted_to", typ: "text"}, {name: "grantee_name", typ: "text"},
		{name: "grant_option", typ: "text"}, {name: "granted_by", typ: "text"},
	}, stmtType: stmtTypeShow}
	roles := make([]string, 0, len(u.roles))
	for role := range u.roles {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	for _, role := range roles {
		g := u.grants[role]
		on := g.on
		if on.IsZero() {
			on = u.createdOn
		}
		r.rows = append(r.rows, []*string{tsCell(on), strp("USAGE"), strp("ROLE"), strp(role), strp(role),
			strp("USER"), strp(u.name), strp("false"), strp(g.by)})
	}
	return r, nil
}
