package pattest

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// userProps applies CREATE USER / ALTER USER SET properties to u.
func (s *Server) userProps(u *user, props []prop) *Error {
	for _, p := range props {
		str, isStr := p.val.asString()
		switch p.key {
		case "TYPE":
			t := strings.ToUpper(str)
			if !isStr || (t != typePerson && t != typeService && t != typeLegacyService && t != "NULL") {
				return errInvalidValue("TYPE", p.val.text)
			}
			if t == "NULL" {
				t = ""
			}
			u.typ = t
		case "DEFAULT_ROLE":
			if !isStr {
				return errInvalidValue(p.key, p.val.text)
			}
			u.defaultRole = str
		case "DEFAULT_WAREHOUSE":
			if !isStr {
				return errInvalidValue(p.key, p.val.text)
			}
			u.defaultWarehouse = str
		case "COMMENT":
			if p.val.kind != tokString {
				return errInvalidValue(p.key, p.val.text)
			}
			u.comment = str
		case "RSA_PUBLIC_KEY", "RSA_PUBLIC_KEY_2":
			if p.val.kind != tokString {
				return errInvalidValue(p.key, p.val.text)
			}
			if _, _, err := parsePublicKeyBody(str); err != nil {
				return &Error{CodeInvalidValue, "22023", fmt.Sprintf("SQL compilation error:\nNew public key rejected by current policy. Reason: 'Invalid public key'. Property '%s'.", p.key)}
			}
			i := 0
			if p.key == "RSA_PUBLIC_KEY_2" {
				i = 1
			}
			u.rsaKeys[i] = str
		case "NETWORK_POLICY":
			if !isStr {
				return errInvalidValue(p.key, p.val.text)
			}
			if _, ok := s.acct.netPolicies[str]; !ok {
				return errNotExist("Network policy", str)
			}
			u.networkPolicy = str
		case "DISABLED":
			b, ok := p.val.asBool()
			if !ok {
				return errInvalidValue(p.key, p.val.text)
			}
			if b && !u.disabled {
				// Disabling a user disables its tokens; re-enabling the user
				// leaves them disabled until each is enabled again.
				for _, t := range u.tokens {
					t.disabled = true
				}
			}
			u.disabled = b
		case "PASSWORD":
			if p.val.kind != tokString || str == "" {
				return errInvalidValue(p.key, "***")
			}
			u.password = str
		default:
			return errUnknownProperty(p)
		}
	}
	if u.userType() == typeService && u.password != "" {
		return &Error{CodeInvalidValue, "22023", "SQL compilation error:\nProperty 'PASSWORD' is not supported for users of TYPE = SERVICE."}
	}
	return nil
}

func (s *Server) createUser(ss *session, st createUserStmt) (*result, *Error) {
	if !s.has(ss, "USERADMIN") {
		return nil, errPrivileges("account")
	}
	if _, ok := s.acct.users[st.name]; ok {
		if st.ifNotExists {
			return statusResult(fmt.Sprintf("%s already exists, statement succeeded.", st.name)), nil
		}
		return nil, errExists(st.name)
	}
	u := &user{name: st.name, owner: ss.role, createdOn: s.clock.Now(), roles: map[string]bool{}}
	if e := s.userProps(u, st.props); e != nil {
		return nil, e
	}
	s.acct.users[u.name] = u
	return statusResult(fmt.Sprintf("User %s successfully created.", u.name)), nil
}

// userForAlter resolves the user of an ALTER USER; ok false with a nil
// error means IF EXISTS found nothing.
func (s *Server) userForAlter(ss *session, name string, ifExists bool) (*user, *Error) {
	u, found := s.acct.users[name]
	if !found {
		if ifExists {
			return nil, nil
		}
		return nil, errNotExist("User", name)
	}
	return u, nil
}

func (s *Server) alterUser(ss *session, st alterUserSetStmt) (*result, *Error) {
	u, e := s.userForAlter(ss, st.name, st.ifExists)
	if e != nil || u == nil {
		return statusResult("Statement executed successfully."), e
	}
	if !s.ownsUser(ss, u) && !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	// Work on a copy so a failing property leaves the user unchanged.
	cp := *u
	cp.tokens = u.tokens
	pending := map[*patRecord]bool{}
	for _, t := range u.tokens {
		pending[t] = t.disabled
	}
	if e := s.userProps(&cp, st.set); e != nil {
		for t, d := range pending {
			t.disabled = d
		}
		return nil, e
	}
	for _, k := range st.unset {
		switch k {
		case "TYPE":
			cp.typ = ""
		case "DEFAULT_ROLE":
			cp.defaultRole = ""
		case "DEFAULT_WAREHOUSE":
			cp.defaultWarehouse = ""
		case "COMMENT":
			cp.comment = ""
		case "RSA_PUBLIC_KEY":
			cp.rsaKeys[0] = ""
		case "RSA_PUBLIC_KEY_2":
			cp.rsaKeys[1] = ""
		case "NETWORK_POLICY":
			cp.networkPolicy = ""
		case "DISABLED":
			cp.disabled = false
		case "PASSWORD":
			cp.password = ""
		default:
			for t, d := range pending {
				t.disabled = d
			}
			return nil, &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\ninvalid property '%s' for UNSET.", k)}
		}
	}
	*u = cp
	return statusResult("Statement executed successfully."), nil
}

func (s *Server) alterUserAuthPolicy(ss *session, st alterUserAuthPolicyStmt) (*result, *Error) {
	u, e := s.userForAlter(ss, st.name, st.ifExists)
	if e != nil || u == nil {
		return statusResult("Statement executed successfully."), e
	}
	if !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	if st.policy != "" {
		if _, ok := s.acct.authPolicies[st.policy]; !ok {
			return nil, errNotExist("Authentication policy", st.policy)
		}
	}
	u.authPolicy = st.policy
	return statusResult("Statement executed successfully."), nil
}

func (s *Server) dropUser(ss *session, st dropUserStmt) (*result, *Error) {
	u, ok := s.acct.users[st.name]
	if !ok {
		if st.ifExists {
			return statusResult(fmt.Sprintf("Drop statement executed successfully (%s already dropped).", st.name)), nil
		}
		return nil, errNotExist("User", st.name)
	}
	if !s.ownsUser(ss, u) {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	for _, t := range u.tokens {
		t.removed = true
	}
	u.tokens = nil
	delete(s.acct.users, u.name)
	delete(s.acct.pamGrants, u.name)
	return statusResult(fmt.Sprintf("%s successfully dropped.", u.name)), nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

func (s *Server) describeUser(ss *session, st describeUserStmt) (*result, *Error) {
	u, ok := s.acct.users[st.name]
	if !ok {
		return nil, errNotExist("User", st.name)
	}
	if ss.user != u && !s.ownsUser(ss, u) && !s.has(ss, "SECURITYADMIN") {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	fp := func(i int) string {
		if u.rsaKeys[i] == "" {
			return "null"
		}
		_, f, err := parsePublicKeyBody(u.rsaKeys[i])
		if err != nil {
			return "null"
		}
		return f
	}
	typ := "null"
	if u.typ != "" {
		typ = u.typ
	}
	props := [][2]string{
		{"NAME", u.name},
		{"COMMENT", orNull(u.comment)},
		{"LOGIN_NAME", u.name},
		{"DISPLAY_NAME", u.name},
		{"TYPE", typ},
		{"PASSWORD", map[bool]string{true: "********", false: "null"}[u.password != ""]},
		{"DISABLED", strconv.FormatBool(u.disabled)},
		{"DEFAULT_WAREHOUSE", orNull(u.defaultWarehouse)},
		{"DEFAULT_ROLE", orNull(u.defaultRole)},
		{"RSA_PUBLIC_KEY", map[bool]string{true: u.rsaKeys[0], false: "null"}[u.rsaKeys[0] != ""]},
		{"RSA_PUBLIC_KEY_FP", fp(0)},
		{"RSA_PUBLIC_KEY_2", map[bool]string{true: u.rsaKeys[1], false: "null"}[u.rsaKeys[1] != ""]},
		{"RSA_PUBLIC_KEY_2_FP", fp(1)},
		{"NETWORK_POLICY", orNull(u.networkPolicy)},
		{"AUTHENTICATION_POLICY", orNull(u.authPolicy)},
		{"HAS_PASSWORD", strconv.FormatBool(u.password != "")},
		{"HAS_RSA_PUBLIC_KEY", strconv.FormatBool(u.rsaKeys[0] != "" || u.rsaKeys[1] != "")},
	}
	r := &result{cols: []column{
		{name: "property", typ: "text"}, {name: "value", typ: "text", nullable: true},
		{name: "default", typ: "text", nullable: true}, {name: "description", typ: "text"},
	}, stmtType: stmtTypeShow}
	for _, p := range props {
		r.rows = append(r.rows, []*string{strp(p[0]), strp(p[1]), strp("null"), strp("")})
	}
	return r, nil
}

// likeMatch implements SQL LIKE with % and _, case-insensitively as SHOW
// … LIKE does.
func likeMatch(pattern, s string) bool {
	var b strings.Builder
	for _, r := range strings.ToUpper(pattern) {
		switch r {
		case '%':
			b.WriteByte('*')
		case '_':
			b.WriteByte('?')
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	ok, err := path.Match(b.String(), strings.ToUpper(s))
	return err == nil && ok
}

func tsCell(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return strp(fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond()))
}

func (s *Server) showUsers(ss *session, st showUsersStmt) (*result, *Error) {
	r := &result{cols: []column{
		{name: "name", typ: "text"}, {name: "created_on", typ: "timestamp_ltz"},
		{name: "login_name", typ: "text"}, {name: "display_name", typ: "text"},
		{name: "disabled", typ: "text"}, {name: "default_warehouse", typ: "text", nullable: true},
		{name: "default_role", typ: "text", nullable: true}, {name: "comment", typ: "text", nullable: true},
		{name: "type", typ: "text", nullable: true}, {name: "has_password", typ: "text"},
		{name: "has_rsa_public_key", typ: "text"}, {name: "owner", typ: "text"},
	}, stmtType: stmtTypeShow}
	for _, name := range sortedKeys(s.acct.users) {
		u := s.acct.users[name]
		if st.hasLike && !likeMatch(st.like, u.name) {
			continue
		}
		if ss.user != u && !s.ownsUser(ss, u) && !s.has(ss, "SECURITYADMIN") {
			continue
		}
		r.rows = append(r.rows, []*string{
			strp(u.name), tsCell(u.createdOn), strp(u.name), strp(u.name),
			strp(strconv.FormatBool(u.disabled)), nullable(u.defaultWarehouse), nullable(u.defaultRole),
			nullable(u.comment), nullable(u.typ), strp(strconv.FormatBool(u.password != "")),
			strp(strconv.FormatBool(u.rsaKeys[0] != "" || u.rsaKeys[1] != "")), strp(u.owner),
		})
	}
	return r, nil
}
