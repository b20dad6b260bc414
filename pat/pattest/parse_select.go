package pattest

import "strings"

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
