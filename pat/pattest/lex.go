package pattest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tokKind classifies a lexical token of the emulator's SQL dialect.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokIdent          // unquoted identifier or keyword; text is upper-cased
	tokQIdent         // "quoted" identifier; text kept exactly, quotes removed
	tokString         // 'literal'; text is the decoded value
	tokNumber         // digits, optionally signed
	tokPunct          // one of ( ) , = ; . ?
)

type token struct {
	kind tokKind
	text string
	raw  string // as written, for error messages
	pos  int    // byte offset in the statement
}

// lexError is a syntax error found while tokenising; it becomes 001003.
type lexError struct {
	pos int
	msg string
}

func (e *lexError) Error() string { return e.msg }

// lex splits a statement into tokens. It follows Snowflake's rules where
// they matter to PAT administration: unquoted identifiers fold to upper
// case, quoted identifiers keep their case with "" standing for one quote,
// and string literals accept backslash escapes as well as a doubled quote.
// It is written independently of package pat's quoting on purpose: the
// emulator is an oracle, not a mirror.
func lex(sql string) ([]token, error) {
	if !utf8.ValidString(sql) {
		return nil, &lexError{0, "SQL compilation error:\ninvalid UTF-8 in statement"}
	}
	var toks []token
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return nil, &lexError{i, fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d unexpected end of comment.", i)}
			}
			i += end + 4
		case isIdentStart(c):
			start := i
			for i < len(sql) && isIdentPart(sql[i]) {
				i++
			}
			raw := sql[start:i]
			toks = append(toks, token{kind: tokIdent, text: strings.ToUpper(raw), raw: raw, pos: start})
		case c >= '0' && c <= '9' || (c == '-' || c == '+') && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			start := i
			i++
			for i < len(sql) && sql[i] >= '0' && sql[i] <= '9' {
				i++
			}
			toks = append(toks, token{kind: tokNumber, text: sql[start:i], raw: sql[start:i], pos: start})
		case c == '"':
			start := i
			var b strings.Builder
			i++
			closed := false
			for i < len(sql) {
				if sql[i] == '"' {
					if i+1 < len(sql) && sql[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(sql[i])
				i++
			}
			if !closed {
				return nil, &lexError{start, fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d unexpected end of identifier.", start)}
			}
			if b.Len() == 0 {
				return nil, &lexError{start, fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d zero-length delimited identifier.", start)}
			}
			toks = append(toks, token{kind: tokQIdent, text: b.String(), raw: sql[start:i], pos: start})
		case c == '\'':
			start := i
			s, n, err := lexString(sql[i:])
			if err != nil {
				return nil, &lexError{start, fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d unexpected end of string literal.", start)}
			}
			i += n
			toks = append(toks, token{kind: tokString, text: s, raw: sql[start:i], pos: start})
		case strings.IndexByte("(),=;.?", c) >= 0:
			toks = append(toks, token{kind: tokPunct, text: string(c), raw: string(c), pos: i})
			i++
		default:
			return nil, &lexError{i, fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d unexpected '%c'.", i, c)}
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(sql)})
	return toks, nil
}

// lexString decodes a single-quoted literal at the start of s and returns
// its value and the number of bytes consumed.
func lexString(s string) (string, int, error) {
	var b strings.Builder
	i := 1
	for i < len(s) {
		c := s[i]
		switch c {
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			return b.String(), i + 1, nil
		case '\\':
			if i+1 >= len(s) {
				return "", 0, fmt.Errorf("unterminated")
			}
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case '0':
				b.WriteByte(0)
			default:
				// \\ \' \" and any other escaped character stand for themselves.
				b.WriteByte(s[i])
			}
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, fmt.Errorf("unterminated")
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}
