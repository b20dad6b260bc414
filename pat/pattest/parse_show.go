package pattest

func (p *parser) show() (stmt, *Error) {
	if p.acceptKw("AUTHENTICATION", "POLICIES") {
		return p.showPolicies()
	}
	if p.acceptKw("GRANTS", "TO", "USER") {
		n, err := p.name()
		return showGrantsToUserStmt{user: n}, err
	}
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
