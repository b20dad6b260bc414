package pattest

import (
	"strconv"
	"strings"
)

// parser walks the token stream of one statement. Every parse method either
// consumes what it asked for or returns a 001003 error naming the token it
// stopped at, so an unsupported statement is never a silent success.
type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) fail() *Error {
	t := p.peek()
	return errSyntax(t.pos, t.raw)
}

// isKw reports whether the next token is the unquoted keyword kw.
func (p *parser) isKw(kw string) bool {
	t := p.peek()
	return t.kind == tokIdent && t.text == kw
}

func (p *parser) isKwAt(n int, kw string) bool {
	t := p.peekAt(n)
	return t.kind == tokIdent && t.text == kw
}

func (p *parser) acceptKw(kws ...string) bool {
	save := p.i
	for _, kw := range kws {
		if !p.isKw(kw) {
			p.i = save
			return false
		}
		p.next()
	}
	return true
}

func (p *parser) expectKw(kws ...string) *Error {
	for _, kw := range kws {
		if !p.isKw(kw) {
			return p.fail()
		}
		p.next()
	}
	return nil
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *parser) acceptPunct(s string) bool {
	if p.isPunct(s) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectPunct(s string) *Error {
	if !p.acceptPunct(s) {
		return p.fail()
	}
	return nil
}

// name reads an object name: an unquoted identifier (already folded to upper
// case) or a quoted one (kept as written).
func (p *parser) name() (string, *Error) {
	t := p.peek()
	if t.kind == tokIdent || t.kind == tokQIdent {
		p.next()
		return t.text, nil
	}
	return "", p.fail()
}

func (p *parser) str() (string, *Error) {
	t := p.peek()
	if t.kind != tokString {
		return "", p.fail()
	}
	p.next()
	return t.text, nil
}

// value reads the right-hand side of a PROPERTY = value pair into a
// propValue that remembers what kind of token it was.
func (p *parser) value() (propValue, *Error) {
	t := p.peek()
	switch t.kind {
	case tokString:
		p.next()
		return propValue{kind: tokString, text: t.text, pos: t.pos}, nil
	case tokNumber:
		p.next()
		return propValue{kind: tokNumber, text: t.text, pos: t.pos}, nil
	case tokIdent, tokQIdent:
		p.next()
		return propValue{kind: t.kind, text: t.text, pos: t.pos}, nil
	case tokPunct:
		if t.text == "(" {
			return p.list()
		}
	}
	return propValue{}, p.fail()
}

// list reads ( item [, item …] ) where items are literals or nested
// KEY = value pairs (the PAT_POLICY form).
func (p *parser) list() (propValue, *Error) {
	start := p.peek().pos
	if err := p.expectPunct("("); err != nil {
		return propValue{}, err
	}
	v := propValue{kind: tokPunct, pos: start}
	for !p.isPunct(")") {
		if p.peek().kind == tokIdent && p.peekAt(1).kind == tokPunct && p.peekAt(1).text == "=" {
			k, _ := p.name()
			p.next() // =
			sub, err := p.value()
			if err != nil {
				return propValue{}, err
			}
			v.props = append(v.props, prop{key: k, val: sub})
		} else {
			item, err := p.value()
			if err != nil {
				return propValue{}, err
			}
			v.items = append(v.items, item)
		}
		if !p.acceptPunct(",") && !p.isPunct(")") && p.peek().kind != tokIdent {
			return propValue{}, p.fail()
		}
	}
	p.next() // )
	return v, nil
}

// props reads KEY = value pairs until a token that does not start one.
func (p *parser) props() ([]prop, *Error) {
	var out []prop
	for p.peek().kind == tokIdent && p.peekAt(1).kind == tokPunct && p.peekAt(1).text == "=" {
		k := p.next().text
		p.next()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, prop{key: k, val: v})
		p.acceptPunct(",")
	}
	return out, nil
}

func (p *parser) end() *Error {
	p.acceptPunct(";")
	if p.peek().kind != tokEOF {
		return p.fail()
	}
	return nil
}

type prop struct {
	key string
	val propValue
}

type propValue struct {
	kind  tokKind
	text  string
	pos   int
	items []propValue // for ( … ) lists
	props []prop      // for ( KEY = value … ) lists
}

func (v propValue) asString() (string, bool) {
	if v.kind == tokString || v.kind == tokIdent || v.kind == tokQIdent {
		return v.text, true
	}
	return "", false
}

func (v propValue) asInt() (int64, bool) {
	if v.kind != tokNumber {
		return 0, false
	}
	n, err := strconv.ParseInt(v.text, 10, 64)
	return n, err == nil
}

func (v propValue) asBool() (bool, bool) {
	if v.kind == tokIdent || v.kind == tokString {
		switch strings.ToUpper(v.text) {
		case "TRUE":
			return true, true
		case "FALSE":
			return false, true
		}
	}
	return false, false
}

func (v propValue) asStringList() ([]string, bool) {
	if v.kind != tokPunct || len(v.props) > 0 {
		if s, ok := v.asString(); ok && v.kind == tokString {
			return []string{s}, true
		}
		return nil, false
	}
	out := make([]string, 0, len(v.items))
	for _, it := range v.items {
		s, ok := it.asString()
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}
