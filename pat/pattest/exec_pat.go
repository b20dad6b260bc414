package pattest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// validPATName applies Snowflake's rule for token names: letters, digits
// and underscores, starting with a letter or underscore. Names are stored
// upper-case whether or not they were quoted.
func validPATName(n string) bool {
	if n == "" || len(n) > 255 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
		if !letter && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// patTarget resolves the user a PAT statement acts on and checks that the
// session may manage its tokens. verb is the statement's kind ("ADD PAT",
// "ROTATE PAT", …, "SHOW PATS"). A nil user with a nil error means ALTER
// USER IF EXISTS found no user.
//
// A session that logged in with a PAT may not ADD, MODIFY or REMOVE any
// token: the MODIFY and REMOVE pages say so without naming a user, and
// for ADD the emulator assumes the same. The ROTATE page says "for the
// same user", so such a session may rotate another user's token if its
// role may manage that user's tokens.
func (s *Server) patTarget(ss *session, name string, ifExists bool, verb string) (*user, *Error) {
	u := ss.user
	if name != "" {
		var ok bool
		if u, ok = s.acct.users[name]; !ok {
			if ifExists {
				return nil, nil
			}
			return nil, errNotExist("User", name)
		}
	}
	if ss.authMethod == methodPAT {
		switch verb {
		case "ADD PAT", "MODIFY PAT", "REMOVE PAT":
			return nil, errPATSession()
		case "ROTATE PAT":
			if u == ss.user {
				return nil, errPATSession()
			}
		}
	}
	if !s.canManagePATs(ss, u) {
		return nil, errPrivileges(fmt.Sprintf("user '%s'", u.name))
	}
	u.purgeExpired(s.clock.Now())
	return u, nil
}

func (s *Server) patName(raw string) (string, *Error) {
	if !validPATName(raw) {
		return "", errInvalidValue("NAME", raw)
	}
	return upperASCII(raw), nil
}

func (s *Server) lookupPAT(u *user, raw string) (*patRecord, string, *Error) {
	name, e := s.patName(raw)
	if e != nil {
		return nil, "", e
	}
	t := u.token(name)
	if t == nil {
		return nil, name, errPATNotFound(name)
	}
	return t, name, nil
}

func (s *Server) issueSecret(t *patRecord) string {
	for {
		sec := randomToken("")
		if _, dup := s.acct.secrets[sec]; !dup {
			s.acct.secrets[sec] = t
			return sec
		}
	}
}

func bypassMinutes(p prop) (int64, *Error) {
	n, ok := p.val.asInt()
	if !ok || n < 1 || n > maxBypassMinutes {
		return 0, errInvalidValue(p.key, p.val.text)
	}
	return n, nil
}

// setTokenProp applies the properties ADD and MODIFY … SET share: the
// network-policy bypass (PERSON users only; it starts now) and the comment.
func setTokenProp(p prop, u *user, t *patRecord, now time.Time) *Error {
	if p.key == "COMMENT" {
		if p.val.kind != tokString {
			return errInvalidValue(p.key, p.val.text)
		}
		c := p.val.text
		t.comment = &c
		return nil
	}
	n, e := bypassMinutes(p)
	if e != nil {
		return e
	}
	if u.isService() {
		return errInvalidValue(p.key, p.val.text)
	}
	t.bypassMins = &n
	t.bypassUntil = now.Add(time.Duration(n) * time.Minute)
	return nil
}

func (s *Server) addPAT(ss *session, st addPATStmt) (*result, *Error) {
	u, e := s.patTarget(ss, st.user, st.ifExists, st.kind())
	if e != nil {
		return nil, e
	}
	cols := []column{{name: "token_name", typ: "text"}, {name: "token_secret", typ: "text", nullable: true}}
	if u == nil {
		return statusResult("Statement executed successfully."), nil
	}
	name, e := s.patName(st.name)
	if e != nil {
		return nil, e
	}
	now := s.clock.Now()
	pp := s.acct.patPolicyFor(u)
	t := &patRecord{name: name, user: u, createdOn: now, createdBy: ss.user.name}
	days := pp.defaultExpiryDays
	for _, p := range st.props {
		switch p.key {
		case "ROLE_RESTRICTION":
			r, ok := p.val.asString()
			if !ok {
				return nil, errInvalidValue(p.key, p.val.text)
			}
			if p.val.kind != tokQIdent {
				r = upperASCII(r)
			}
			t.roleRestriction = r
		case "DAYS_TO_EXPIRY":
			n, ok := p.val.asInt()
			if !ok || n < 1 || n > pp.maxExpiryDays {
				return nil, errInvalidValue(p.key, p.val.text)
			}
			days = n
		case "MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT", "COMMENT":
			if e := setTokenProp(p, u, t, now); e != nil {
				return nil, e
			}
		default:
			return nil, errUnknownProperty(p)
		}
	}
	if u.token(name) != nil {
		if st.ifNotExists {
			return &result{cols: cols, rows: [][]*string{{strp(name), nil}}, stmtType: stmtTypeDDL}, nil
		}
		return nil, errExists(name)
	}
	if u.isService() && pp.networkEvaluation == "ENFORCED_REQUIRED" && s.acct.networkPolicyFor(u) == nil {
		return nil, errNetworkPolicyRequired(u.name)
	}
	// The role restriction is required for SERVICE and LEGACY_SERVICE users
	// unless REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE (release note
	// 2025-11-19), and for PERSON users when
	// REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS = TRUE (release 10.15).
	if t.roleRestriction == "" && pp.requiresRole(u) {
		return nil, errRoleRestrictionRequired(u.userType())
	}
	if t.roleRestriction != "" {
		if _, ok := s.acct.roles[t.roleRestriction]; !ok {
			return nil, errNotExist("Role", t.roleRestriction)
		}
		if !u.hasRole(t.roleRestriction) {
			return nil, errRoleNotGranted(t.roleRestriction, u.name)
		}
		if pp.blocks(t.roleRestriction) {
			return nil, errRoleBlocked(t.roleRestriction)
		}
	}
	if u.countingTokens(now) >= maxTokensPerUser {
		return nil, errTokenLimit(u.name)
	}
	t.expiresAt = now.Add(time.Duration(days) * 24 * time.Hour)
	u.tokens = append(u.tokens, t)
	secret := s.issueSecret(t)
	return &result{cols: cols, rows: [][]*string{{strp(name), &secret}}, stmtType: stmtTypeDDL}, nil
}

// rotatePAT issues a new secret under the same name and lifetime length and
// keeps the old secret alive as <NAME>_ROTATED_<epoch-millis> for the grace
// period, after which it can only expire or be removed.
func (s *Server) rotatePAT(ss *session, st rotatePATStmt) (*result, *Error) {
	u, e := s.patTarget(ss, st.user, st.ifExists, st.kind())
	if e != nil {
		return nil, e
	}
	if u == nil {
		return statusResult("Statement executed successfully."), nil
	}
	old, name, e := s.lookupPAT(u, st.name)
	if e != nil {
		if old == nil && name != "" && st.tokenIfExists {
			// ROTATE … [IF EXISTS] <name>: "does nothing and completes
			// successfully" (the ROTATE reference page).
			return statusResult("Statement executed successfully."), nil
		}
		return nil, e
	}
	now := s.clock.Now()
	if old.rotatedTo != "" {
		return nil, errRotated(name)
	}
	if !now.Before(old.expiresAt) {
		return nil, errExpiredToken(name)
	}
	left := old.expiresAt.Sub(now)
	grace := time.Duration(defaultRotatedGraceHrs) * time.Hour
	if grace > left {
		grace = left // the default never outlives the old secret
	}
	for _, p := range st.props {
		if p.key != "EXPIRE_ROTATED_TOKEN_AFTER_HOURS" {
			return nil, errUnknownProperty(p)
		}
		n, ok := p.val.asInt()
		if !ok || n < 0 || time.Duration(n)*time.Hour > left {
			return nil, errInvalidValue(p.key, p.val.text)
		}
		grace = time.Duration(n) * time.Hour
	}
	if grace > 0 && u.countingTokens(now) >= maxTokensPerUser {
		return nil, errTokenLimit(u.name)
	}
	ms := now.UnixMilli()
	rotatedName := name + "_ROTATED_" + strconv.FormatInt(ms, 10)
	for u.token(rotatedName) != nil {
		ms++
		rotatedName = name + "_ROTATED_" + strconv.FormatInt(ms, 10)
	}
	fresh := &patRecord{
		name: name, user: u, roleRestriction: old.roleRestriction, createdOn: now,
		expiresAt: now.Add(old.expiresAt.Sub(old.createdOn)), disabled: old.disabled,
		comment: old.comment, createdBy: ss.user.name, bypassMins: old.bypassMins, bypassUntil: old.bypassUntil,
	}
	old.name = rotatedName
	old.rotatedTo = name
	old.expiresAt = now.Add(grace)
	u.tokens = append(u.tokens, fresh)
	secret := s.issueSecret(fresh)
	return &result{cols: []column{
		{name: "token_name", typ: "text"}, {name: "token_secret", typ: "text"}, {name: "rotated_token_name", typ: "text"},
	}, rows: [][]*string{{strp(name), &secret, strp(rotatedName)}}, stmtType: stmtTypeDDL}, nil
}

func (s *Server) modifyPAT(ss *session, st modifyPATStmt) (*result, *Error) {
	u, e := s.patTarget(ss, st.user, st.ifExists, st.kind())
	if e != nil || u == nil {
		return statusResult("Statement executed successfully."), e
	}
	t, name, e := s.lookupPAT(u, st.name)
	if e != nil {
		return nil, e
	}
	if t.rotatedTo != "" {
		return nil, errRotated(name)
	}
	cp := *t
	now := s.clock.Now()
	for _, p := range st.set {
		switch p.key {
		case "DISABLED":
			b, ok := p.val.asBool()
			if !ok {
				return nil, errInvalidValue(p.key, p.val.text)
			}
			cp.disabled = b
		case "MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT", "COMMENT":
			if e := setTokenProp(p, u, &cp, now); e != nil {
				return nil, e
			}
		case "ROLE_RESTRICTION", "DAYS_TO_EXPIRY":
			return nil, &Error{CodeInvalidValue, "22023", fmt.Sprintf("SQL compilation error:\nProperty '%s' of a programmatic access token cannot be changed after it is created.", p.key)}
		default:
			return nil, errUnknownProperty(p)
		}
	}
	for _, k := range st.unset {
		switch k {
		case "DISABLED":
			cp.disabled = false
		case "MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT":
			cp.bypassMins, cp.bypassUntil = nil, time.Time{}
		case "COMMENT":
			cp.comment = nil
		default:
			return nil, &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\ninvalid property '%s' for UNSET.", k)}
		}
	}
	if st.rename != "" {
		nn, e := s.patName(st.rename)
		if e != nil {
			return nil, e
		}
		if other := u.token(nn); other != nil && other != t {
			return nil, errExists(nn)
		}
		cp.name = nn
	}
	*t = cp
	return statusResult("Statement executed successfully."), nil
}

func (s *Server) removePAT(ss *session, st removePATStmt) (*result, *Error) {
	u, e := s.patTarget(ss, st.user, st.ifExists, st.kind())
	if e != nil || u == nil {
		return statusResult("Statement executed successfully."), e
	}
	t, name, e := s.lookupPAT(u, st.name)
	if e != nil {
		if t == nil && name != "" && st.tokenIfExists {
			// REMOVE … [IF EXISTS] <name>: "does nothing and completes
			// successfully" (the REMOVE reference page).
			return statusResult("Statement executed successfully."), nil
		}
		return nil, e
	}
	t.removed = true
	kept := u.tokens[:0]
	for _, x := range u.tokens {
		if x != t {
			kept = append(kept, x)
		}
	}
	u.tokens[len(u.tokens)-1] = nil
	u.tokens = kept
	return statusResult(fmt.Sprintf("Programmatic access token %s successfully removed.", name)), nil
}

func (s *Server) showPATs(ss *session, st showPATsStmt) (*result, *Error) {
	u, e := s.patTarget(ss, st.user, false, st.kind())
	if e != nil {
		return nil, e
	}
	bypassCol := "mins_to_bypass_network_policy_requirement"
	if s.opts.legacyShow {
		bypassCol = "mins_to_bypass_required_network_policy"
	}
	r := &result{cols: []column{
		{name: "name", typ: "text"}, {name: "user_name", typ: "text"},
		{name: "role_restriction", typ: "text", nullable: true}, {name: "expires_at", typ: "timestamp_ltz"},
		{name: "status", typ: "text"}, {name: "comment", typ: "text", nullable: true},
		{name: "created_on", typ: "timestamp_ltz"}, {name: "created_by", typ: "text"},
		{name: bypassCol, typ: "fixed", nullable: true},
	}, stmtType: stmtTypeShow}
	if !s.opts.legacyShow {
		r.cols = append(r.cols, column{name: "rotated_to", typ: "text", nullable: true})
	}
	now := s.clock.Now()
	for _, t := range u.tokens {
		var bypass *string
		if t.bypassMins != nil {
			bypass = strp(strconv.FormatInt(bypassLeft(t, now), 10))
		}
		row := []*string{strp(t.name), strp(u.name), nullable(t.roleRestriction), tsCell(t.expiresAt),
			strp(t.status(now)), t.comment, tsCell(t.createdOn), strp(t.createdBy), bypass}
		if !s.opts.legacyShow {
			row = append(row, nullable(t.rotatedTo))
		}
		r.rows = append(r.rows, row)
	}
	return r, nil
}

// bypassLeft is the whole minutes of network-policy bypass a token has
// left, rounded up so that SHOW right after ADD reports the value set, and
// 0 once it has run out. SHOW counts down: the Terraform provider's live
// test reads the value back with a tolerance for that reason.
func bypassLeft(t *patRecord, now time.Time) int64 {
	left := t.bypassUntil.Sub(now)
	if left <= 0 {
		return 0
	}
	return int64((left + time.Minute - 1) / time.Minute)
}

// decodePAT answers SYSTEM$DECODE_PAT: what the secret belongs to and its
// state now. Removed tokens answer REMOVED (the emulator's spelling; a
// client should treat any state other than ACTIVE as unusable).
func (s *Server) decodePAT(secret string) (string, *Error) {
	t, ok := s.acct.secrets[secret]
	if !ok {
		return "", &Error{CodeInvalidPAT, "22023", "Programmatic access token is invalid."}
	}
	now := s.clock.Now()
	state := t.status(now)
	if t.removed && state != "EXPIRED" {
		state = "REMOVED"
	}
	b, _ := json.Marshal(map[string]string{"STATE": state, "PAT_NAME": t.name, "USER_NAME": t.user.name})
	return string(b), nil
}

func (s *Server) selectExprs(ss *session, st selectStmt, binds []*string) (*result, *Error) {
	r := &result{stmtType: stmtTypeSelect}
	row := make([]*string, 0, len(st.exprs))
	bind := 0
	for _, e := range st.exprs {
		c := column{name: e.label, typ: "text"}
		var v *string
		switch e.fn {
		case "":
			v = strp(e.lit)
			if e.isNum {
				c.typ = "fixed"
			}
		case "CURRENT_USER":
			v = strp(ss.user.name)
		case "CURRENT_ROLE":
			v = strp(ss.role)
		case "CURRENT_ACCOUNT":
			v = strp(s.acct.name)
		case "SYSTEM$DECODE_PAT":
			arg := e.arg.text
			if e.arg.kind == tokPunct {
				if bind >= len(binds) || binds[bind] == nil {
					return nil, &Error{"002049", "22000", "SQL compilation error:\nBind variable ? not set."}
				}
				arg = *binds[bind]
				bind++
			}
			out, err := s.decodePAT(arg)
			if err != nil {
				return nil, err
			}
			v = &out
		}
		r.cols = append(r.cols, c)
		row = append(row, v)
	}
	r.rows = [][]*string{row}
	return r, nil
}
