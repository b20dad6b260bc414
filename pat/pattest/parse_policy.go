package pattest

// Statements that read policies, grants and session state: what a client
// needs to learn the rules that apply to a user before it acts.

type (
	// alterSessionStmt is ALTER SESSION SET p = v [, …] or UNSET p [, …].
	alterSessionStmt struct {
		set   []prop
		unset []string
	}
	// showAuthPoliciesStmt is SHOW AUTHENTICATION POLICIES [ON ACCOUNT | ON USER u].
	showAuthPoliciesStmt struct {
		onAccount bool
		onUser    string
	}
	describeAuthPolicyStmt struct{ name string }
	showGrantsToUserStmt   struct{ user string }
)

func (alterSessionStmt) kind() string       { return "ALTER SESSION" }
func (showAuthPoliciesStmt) kind() string   { return "SHOW AUTHENTICATION POLICIES" }
func (describeAuthPolicyStmt) kind() string { return "DESCRIBE AUTHENTICATION POLICY" }
func (showGrantsToUserStmt) kind() string   { return "SHOW GRANTS" }

// objectName reads a possibly qualified name (db.schema.name) and returns
// its last part. Authentication policies are schema objects in Snowflake;
// the emulator keeps them in one namespace and reports them in policyDB.
// policySchema, so any qualifier is accepted and ignored.
func (p *parser) objectName() (string, *Error) {
	n, err := p.name()
	for err == nil && p.acceptPunct(".") {
		n, err = p.name()
	}
	return n, err
}

// The database and schema the emulator reports its authentication policies
// in (SHOW AUTHENTICATION POLICIES' database_name and schema_name).
const (
	policyDB     = "SNOWPAT"
	policySchema = "POLICIES"
)

func (p *parser) alterSession() (stmt, *Error) {
	switch {
	case p.acceptKw("SET"):
		props, err := p.props()
		if err == nil && len(props) == 0 {
			err = p.fail()
		}
		return alterSessionStmt{set: props}, err
	case p.acceptKw("UNSET"):
		keys, err := p.keyList()
		return alterSessionStmt{unset: keys}, err
	}
	return nil, p.fail()
}

// showPolicies parses what follows SHOW AUTHENTICATION POLICIES.
func (p *parser) showPolicies() (stmt, *Error) {
	s := showAuthPoliciesStmt{}
	if p.acceptKw("ON") {
		switch {
		case p.acceptKw("ACCOUNT"):
			s.onAccount = true
		case p.acceptKw("USER"):
			var err *Error
			if s.onUser, err = p.name(); err != nil {
				return nil, err
			}
		default:
			return nil, p.fail()
		}
	}
	return s, nil
}

// describe parses what follows DESCRIBE / DESC.
func (p *parser) describe() (stmt, *Error) {
	switch {
	case p.acceptKw("USER"):
		n, err := p.name()
		return describeUserStmt{name: n}, err
	case p.acceptKw("AUTHENTICATION", "POLICY"):
		n, err := p.objectName()
		return describeAuthPolicyStmt{name: n}, err
	}
	return nil, p.fail()
}
