package pattest

import "strings"

// stmt is one parsed statement; exec.go runs it against the account.
type stmt interface{ kind() string }

type (
	createUserStmt struct {
		ifNotExists bool
		name        string
		props       []prop
	}
	alterUserSetStmt struct {
		ifExists bool
		name     string
		set      []prop
		unset    []string
	}
	alterUserAuthPolicyStmt struct {
		ifExists bool
		name     string
		policy   string // "" for UNSET
	}
	dropUserStmt struct {
		ifExists bool
		name     string
	}
	describeUserStmt struct{ name string }
	showUsersStmt    struct {
		like    string
		hasLike bool
	}
	createRoleStmt struct {
		ifNotExists bool
		name        string
	}
	dropRoleStmt struct {
		ifExists bool
		name     string
	}
	grantRoleStmt struct {
		revoke bool
		role   string
		user   string
	}
	grantOnUserStmt struct {
		revoke    bool
		privilege string // OWNERSHIP or MODIFY PROGRAMMATIC AUTHENTICATION METHODS
		user      string
		role      string
	}
	useRoleStmt         struct{ role string }
	createNetworkPolicy struct {
		orReplace, ifNotExists bool
		name                   string
		props                  []prop
	}
	alterNetworkPolicy struct {
		name string
		set  []prop
	}
	dropNetworkPolicy struct {
		ifExists bool
		name     string
	}
	createAuthPolicy struct {
		orReplace, ifNotExists bool
		name                   string
		props                  []prop
	}
	alterAuthPolicy struct {
		name string
		set  []prop
	}
	dropAuthPolicy struct {
		ifExists bool
		name     string
	}
	alterAccountStmt struct {
		setNetworkPolicy *string // "" = UNSET
		setAuthPolicy    *string // "" = UNSET
	}
	addPATStmt struct {
		ifExists, ifNotExists bool
		user                  string // "" = current user
		name                  string
		props                 []prop
	}
	rotatePATStmt struct {
		ifExists bool
		user     string
		name     string
		props    []prop
	}
	modifyPATStmt struct {
		ifExists bool
		user     string
		name     string
		set      []prop
		unset    []string
		rename   string
	}
	removePATStmt struct {
		ifExists bool
		user     string
		name     string
	}
	showPATsStmt struct{ user string }
	selectStmt   struct{ exprs []selectExpr }
)

type selectExpr struct {
	fn    string // "", CURRENT_USER, CURRENT_ROLE, CURRENT_ACCOUNT, SYSTEM$DECODE_PAT
	lit   string
	isNum bool
	arg   *propValue // DECODE_PAT argument: string literal or bind (kind tokPunct "?")
	label string
}

func (createUserStmt) kind() string          { return "CREATE USER" }
func (alterUserSetStmt) kind() string        { return "ALTER USER" }
func (alterUserAuthPolicyStmt) kind() string { return "ALTER USER" }
func (dropUserStmt) kind() string            { return "DROP USER" }
func (describeUserStmt) kind() string        { return "DESCRIBE USER" }
func (showUsersStmt) kind() string           { return "SHOW USERS" }
func (createRoleStmt) kind() string          { return "CREATE ROLE" }
func (dropRoleStmt) kind() string            { return "DROP ROLE" }
func (grantRoleStmt) kind() string           { return "GRANT" }
func (grantOnUserStmt) kind() string         { return "GRANT" }
func (useRoleStmt) kind() string             { return "USE ROLE" }
func (createNetworkPolicy) kind() string     { return "CREATE NETWORK POLICY" }
func (alterNetworkPolicy) kind() string      { return "ALTER NETWORK POLICY" }
func (dropNetworkPolicy) kind() string       { return "DROP NETWORK POLICY" }
func (createAuthPolicy) kind() string        { return "CREATE AUTHENTICATION POLICY" }
func (alterAuthPolicy) kind() string         { return "ALTER AUTHENTICATION POLICY" }
func (dropAuthPolicy) kind() string          { return "DROP AUTHENTICATION POLICY" }
func (alterAccountStmt) kind() string        { return "ALTER ACCOUNT" }
func (addPATStmt) kind() string              { return "ADD PAT" }
func (rotatePATStmt) kind() string           { return "ROTATE PAT" }
func (modifyPATStmt) kind() string           { return "MODIFY PAT" }
func (removePATStmt) kind() string           { return "REMOVE PAT" }
func (showPATsStmt) kind() string            { return "SHOW PATS" }
func (selectStmt) kind() string              { return "SELECT" }

// parseStatement parses one statement of the dialect the emulator speaks.
func parseStatement(sql string) (stmt, *Error) {
	toks, err := lex(sql)
	if err != nil {
		le := err.(*lexError)
		return nil, &Error{CodeSyntax, "42000", le.msg}
	}
	p := &parser{toks: toks}
	var s stmt
	var perr *Error
	switch {
	case p.acceptKw("CREATE"):
		s, perr = p.create()
	case p.acceptKw("ALTER"):
		s, perr = p.alter()
	case p.acceptKw("DROP"):
		s, perr = p.drop()
	case p.acceptKw("DESCRIBE") || p.acceptKw("DESC"):
		if perr = p.expectKw("USER"); perr == nil {
			var n string
			n, perr = p.name()
			s = describeUserStmt{name: n}
		}
	case p.acceptKw("SHOW"):
		s, perr = p.show()
	case p.isKw("GRANT") || p.isKw("REVOKE"):
		s, perr = p.grant()
	case p.acceptKw("USE"):
		p.acceptKw("ROLE")
		var n string
		n, perr = p.name()
		s = useRoleStmt{role: n}
	case p.acceptKw("SELECT"):
		s, perr = p.selectList()
	default:
		return nil, p.fail()
	}
	if perr != nil {
		return nil, perr
	}
	if perr = p.end(); perr != nil {
		return nil, perr
	}
	return s, nil
}

// userPropNames are the user properties the emulator knows. Checking them
// while parsing makes a misspelt property a compilation error whatever the
// state of the account, as in Snowflake.
var userPropNames = map[string]bool{
	"TYPE": true, "DEFAULT_ROLE": true, "DEFAULT_WAREHOUSE": true, "COMMENT": true, "RSA_PUBLIC_KEY": true,
	"RSA_PUBLIC_KEY_2": true, "NETWORK_POLICY": true, "DISABLED": true, "PASSWORD": true,
}

func checkUserProps(props []prop) *Error {
	for _, p := range props {
		if !userPropNames[p.key] {
			return errUnknownProperty(p)
		}
	}
	return nil
}

func (p *parser) ifNotExists() bool { return p.acceptKw("IF", "NOT", "EXISTS") }
func (p *parser) ifExists() bool    { return p.acceptKw("IF", "EXISTS") }

func (p *parser) create() (stmt, *Error) {
	orReplace := p.acceptKw("OR", "REPLACE")
	switch {
	case p.acceptKw("USER"):
		if orReplace {
			return nil, errUnsupported("CREATE OR REPLACE USER")
		}
		s := createUserStmt{ifNotExists: p.ifNotExists()}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		if s.props, err = p.props(); err != nil {
			return nil, err
		}
		return s, checkUserProps(s.props)
	case p.acceptKw("ROLE"):
		s := createRoleStmt{ifNotExists: p.ifNotExists()}
		var err *Error
		s.name, err = p.name()
		return s, err
	case p.acceptKw("NETWORK", "POLICY"):
		s := createNetworkPolicy{orReplace: orReplace, ifNotExists: p.ifNotExists()}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		s.props, err = p.props()
		return s, err
	case p.acceptKw("AUTHENTICATION", "POLICY"):
		s := createAuthPolicy{orReplace: orReplace, ifNotExists: p.ifNotExists()}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		s.props, err = p.props()
		return s, err
	}
	return nil, p.fail()
}

func (p *parser) drop() (stmt, *Error) {
	switch {
	case p.acceptKw("USER"):
		s := dropUserStmt{ifExists: p.ifExists()}
		var err *Error
		s.name, err = p.name()
		return s, err
	case p.acceptKw("ROLE"):
		s := dropRoleStmt{ifExists: p.ifExists()}
		var err *Error
		s.name, err = p.name()
		return s, err
	case p.acceptKw("NETWORK", "POLICY"):
		s := dropNetworkPolicy{ifExists: p.ifExists()}
		var err *Error
		s.name, err = p.name()
		return s, err
	case p.acceptKw("AUTHENTICATION", "POLICY"):
		s := dropAuthPolicy{ifExists: p.ifExists()}
		var err *Error
		s.name, err = p.name()
		return s, err
	}
	return nil, p.fail()
}

func (p *parser) show() (stmt, *Error) {
	if p.acceptKw("USERS") {
		s := showUsersStmt{}
		if p.acceptKw("LIKE") {
			var err *Error
			if s.like, err = p.str(); err != nil {
				return nil, err
			}
			s.hasLike = true
		}
		return s, nil
	}
	if p.acceptKw("USER") {
		if !p.acceptKw("PATS") && !p.acceptKw("PROGRAMMATIC", "ACCESS", "TOKENS") {
			return nil, p.fail()
		}
		s := showPATsStmt{}
		if p.acceptKw("FOR") {
			if err := p.expectKw("USER"); err != nil {
				return nil, err
			}
			var err *Error
			if s.user, err = p.name(); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	return nil, p.fail()
}

func (p *parser) grant() (stmt, *Error) {
	revoke := p.next().text == "REVOKE"
	to := "TO"
	if revoke {
		to = "FROM"
	}
	if p.acceptKw("ROLE") {
		s := grantRoleStmt{revoke: revoke}
		var err *Error
		if s.role, err = p.name(); err != nil {
			return nil, err
		}
		if err = p.expectKw(to, "USER"); err != nil {
			return nil, err
		}
		s.user, err = p.name()
		return s, err
	}
	s := grantOnUserStmt{revoke: revoke}
	switch {
	case p.acceptKw("OWNERSHIP"):
		if revoke {
			return nil, p.fail()
		}
		s.privilege = "OWNERSHIP"
	case p.acceptKw("MODIFY", "PROGRAMMATIC", "AUTHENTICATION", "METHODS"):
		s.privilege = "MODIFY PROGRAMMATIC AUTHENTICATION METHODS"
	default:
		return nil, p.fail()
	}
	if err := p.expectKw("ON", "USER"); err != nil {
		return nil, err
	}
	var err *Error
	if s.user, err = p.name(); err != nil {
		return nil, err
	}
	if err = p.expectKw(to, "ROLE"); err != nil {
		return nil, err
	}
	if s.role, err = p.name(); err != nil {
		return nil, err
	}
	if s.privilege == "OWNERSHIP" {
		// COPY CURRENT GRANTS / REVOKE CURRENT GRANTS are accepted and ignored:
		// the emulator keeps no other grants on users.
		if !p.acceptKw("COPY", "CURRENT", "GRANTS") {
			p.acceptKw("REVOKE", "CURRENT", "GRANTS")
		}
	}
	return s, nil
}

// isPATKeyword reports whether the tokens at offset n spell PAT or
// PROGRAMMATIC ACCESS TOKEN.
func (p *parser) isPATKeyword(n int) bool {
	return p.isKwAt(n, "PAT") || p.isKwAt(n, "PROGRAMMATIC") && p.isKwAt(n+1, "ACCESS") && p.isKwAt(n+2, "TOKEN")
}

func (p *parser) acceptPATKeyword() bool {
	return p.acceptKw("PAT") || p.acceptKw("PROGRAMMATIC", "ACCESS", "TOKEN")
}

func (p *parser) alter() (stmt, *Error) {
	switch {
	case p.acceptKw("USER"):
		return p.alterUser()
	case p.acceptKw("NETWORK", "POLICY"):
		s := alterNetworkPolicy{}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		if err = p.expectKw("SET"); err != nil {
			return nil, err
		}
		s.set, err = p.props()
		return s, err
	case p.acceptKw("AUTHENTICATION", "POLICY"):
		s := alterAuthPolicy{}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		if err = p.expectKw("SET"); err != nil {
			return nil, err
		}
		s.set, err = p.props()
		return s, err
	case p.acceptKw("ACCOUNT"):
		s := alterAccountStmt{}
		switch {
		case p.acceptKw("SET", "AUTHENTICATION", "POLICY"):
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			s.setAuthPolicy = &n
		case p.acceptKw("UNSET", "AUTHENTICATION", "POLICY"):
			empty := ""
			s.setAuthPolicy = &empty
		case p.acceptKw("SET", "NETWORK_POLICY"):
			if err := p.expectPunct("="); err != nil {
				return nil, err
			}
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			s.setNetworkPolicy = &n
		case p.acceptKw("UNSET", "NETWORK_POLICY"):
			empty := ""
			s.setNetworkPolicy = &empty
		default:
			return nil, p.fail()
		}
		return s, nil
	}
	return nil, p.fail()
}

var patVerbs = map[string]bool{"ADD": true, "ROTATE": true, "MODIFY": true, "REMOVE": true}

func (p *parser) alterUser() (stmt, *Error) {
	ifExists := p.ifExists()
	user := ""
	// The user name may be omitted before a PAT verb ("ALTER USER ADD PAT t").
	// A user literally named ADD is still reachable: "ALTER USER add ADD PAT t".
	if !(p.peek().kind == tokIdent && patVerbs[p.peek().text] && p.isPATKeyword(1)) {
		var err *Error
		if user, err = p.name(); err != nil {
			return nil, err
		}
	}
	t := p.peek()
	if t.kind == tokIdent && patVerbs[t.text] && p.isPATKeyword(1) {
		p.next()
		p.acceptPATKeyword()
		return p.patVerb(t.text, ifExists, user)
	}
	if user == "" {
		return nil, p.fail()
	}
	switch {
	case p.acceptKw("SET", "AUTHENTICATION", "POLICY"):
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		return alterUserAuthPolicyStmt{ifExists: ifExists, name: user, policy: n}, nil
	case p.acceptKw("UNSET", "AUTHENTICATION", "POLICY"):
		return alterUserAuthPolicyStmt{ifExists: ifExists, name: user}, nil
	case p.acceptKw("SET"):
		props, err := p.props()
		if err != nil {
			return nil, err
		}
		if len(props) == 0 {
			return nil, p.fail()
		}
		if err := checkUserProps(props); err != nil {
			return nil, err
		}
		return alterUserSetStmt{ifExists: ifExists, name: user, set: props}, nil
	case p.acceptKw("UNSET"):
		keys, err := p.keyList()
		if err != nil {
			return nil, err
		}
		return alterUserSetStmt{ifExists: ifExists, name: user, unset: keys}, nil
	}
	return nil, p.fail()
}

// keyList reads KEY [, KEY …] for UNSET.
func (p *parser) keyList() ([]string, *Error) {
	var keys []string
	for p.peek().kind == tokIdent {
		keys = append(keys, p.next().text)
		if !p.acceptPunct(",") {
			break
		}
	}
	if len(keys) == 0 {
		return nil, p.fail()
	}
	return keys, nil
}

func (p *parser) patVerb(verb string, ifExists bool, user string) (stmt, *Error) {
	switch verb {
	case "ADD":
		s := addPATStmt{ifExists: ifExists, user: user, ifNotExists: p.ifNotExists()}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		s.props, err = p.props()
		return s, err
	case "ROTATE":
		s := rotatePATStmt{ifExists: ifExists, user: user}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		s.props, err = p.props()
		return s, err
	case "REMOVE":
		s := removePATStmt{ifExists: ifExists, user: user}
		var err *Error
		s.name, err = p.name()
		return s, err
	}
	s := modifyPATStmt{ifExists: ifExists, user: user}
	var err *Error
	if s.name, err = p.name(); err != nil {
		return nil, err
	}
	switch {
	case p.acceptKw("SET"):
		if s.set, err = p.props(); err != nil {
			return nil, err
		}
		if len(s.set) == 0 {
			return nil, p.fail()
		}
	case p.acceptKw("UNSET"):
		if s.unset, err = p.keyList(); err != nil {
			return nil, err
		}
	case p.acceptKw("RENAME", "TO"):
		if s.rename, err = p.name(); err != nil {
			return nil, err
		}
	default:
		return nil, p.fail()
	}
	return s, nil
}

func (p *parser) selectList() (stmt, *Error) {
	s := selectStmt{}
	for {
		start := p.peek().pos
		e, err := p.selectExpr()
		if err != nil {
			return nil, err
		}
		end := p.peek().pos
		if p.acceptKw("AS") {
			if e.label, err = p.name(); err != nil {
				return nil, err
			}
		} else {
			e.label = strings.ToUpper(strings.TrimSpace(p.rawBetween(start, end)))
		}
		s.exprs = append(s.exprs, e)
		if !p.acceptPunct(",") {
			return s, nil
		}
	}
}

func (p *parser) rawBetween(start, end int) string {
	var b strings.Builder
	for _, t := range p.toks {
		if t.pos >= start && t.pos < end && t.kind != tokEOF {
			b.WriteString(t.raw)
		}
	}
	return b.String()
}

func (p *parser) selectExpr() (selectExpr, *Error) {
	t := p.peek()
	switch t.kind {
	case tokNumber:
		p.next()
		return selectExpr{lit: t.text, isNum: true}, nil
	case tokString:
		p.next()
		return selectExpr{lit: t.text}, nil
	case tokIdent:
		switch t.text {
		case "CURRENT_USER", "CURRENT_ROLE", "CURRENT_ACCOUNT":
			p.next()
			if err := p.expectPunct("("); err != nil {
				return selectExpr{}, err
			}
			if err := p.expectPunct(")"); err != nil {
				return selectExpr{}, err
			}
			return selectExpr{fn: t.text}, nil
		case "SYSTEM$DECODE_PAT":
			p.next()
			if err := p.expectPunct("("); err != nil {
				return selectExpr{}, err
			}
			a := p.peek()
			var arg propValue
			switch {
			case a.kind == tokString:
				arg = propValue{kind: tokString, text: a.text}
			case a.kind == tokPunct && a.text == "?":
				arg = propValue{kind: tokPunct, text: "?"}
			default:
				return selectExpr{}, p.fail()
			}
			p.next()
			if err := p.expectPunct(")"); err != nil {
				return selectExpr{}, err
			}
			return selectExpr{fn: t.text, arg: &arg}, nil
		}
	}
	return selectExpr{}, p.fail()
}
