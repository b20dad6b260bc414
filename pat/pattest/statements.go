package pattest

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
		ifExists      bool // ALTER USER IF EXISTS
		tokenIfExists bool // ROTATE PAT IF EXISTS
		user          string
		name          string
		props         []prop
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
		ifExists      bool // ALTER USER IF EXISTS
		tokenIfExists bool // REMOVE PAT IF EXISTS
		user          string
		name          string
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
		s, perr = p.describe()
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
		if s.name, err = p.objectName(); err != nil {
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
		s.name, err = p.objectName()
		return s, err
	}
	return nil, p.fail()
}
