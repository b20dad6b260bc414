package pattest

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
	case p.acceptKw("SESSION"):
		return p.alterSession()
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
		if s.name, err = p.objectName(); err != nil {
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
			n, err := p.objectName()
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
		n, err := p.objectName()
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
		// IF EXISTS may follow the token keyword (the ROTATE and REMOVE
		// reference pages); MODIFY's page shows no such clause.
		s := rotatePATStmt{ifExists: ifExists, user: user, tokenIfExists: p.ifExists()}
		var err *Error
		if s.name, err = p.name(); err != nil {
			return nil, err
		}
		s.props, err = p.props()
		return s, err
	case "REMOVE":
		s := removePATStmt{ifExists: ifExists, user: user, tokenIfExists: p.ifExists()}
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
