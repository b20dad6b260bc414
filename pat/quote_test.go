package pat

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scanners below read a quoted token back the way Snowflake's lexer
// does. They are written from Snowflake's rules, not from quote.go, so that
// the fuzz tests compare two independent readings.

// scanIdent reads a double-quoted identifier at the start of sql and
// returns its value and the bytes consumed. Inside, "" is one quote and a
// lone " ends the identifier; nothing else is special.
func scanIdent(sql string) (string, int, bool) {
	if !strings.HasPrefix(sql, `"`) {
		return "", 0, false
	}
	var b strings.Builder
	for i := 1; i < len(sql); i++ {
		if sql[i] != '"' {
			b.WriteByte(sql[i])
			continue
		}
		if i+1 < len(sql) && sql[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		return b.String(), i + 1, true
	}
	return "", 0, false
}

// scanLiteral reads a single-quoted string at the start of sql. With
// backslashEscapes it follows Snowflake: \ escapes the next character
// (\n, \t, \0 and friends stand for control characters, anything else for
// itself) and a doubled single quote is one quote. Without it, it follows
// standard SQL, where only the doubled quote is special. Both readers must
// agree on where our literals end.
func scanLiteral(sql string, backslashEscapes bool) (string, int, bool) {
	if !strings.HasPrefix(sql, "'") {
		return "", 0, false
	}
	var b strings.Builder
	for i := 1; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\\' && backslashEscapes:
			if i+1 >= len(sql) {
				return "", 0, false
			}
			i++
			switch e := sql[i]; e {
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
				b.WriteByte(e)
			}
		case c == '\'':
			if i+1 < len(sql) && sql[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"POWERBI_SVC":       `"POWERBI_SVC"`,
		"lower case":        `"lower case"`,
		`a"b`:               `"a""b"`,
		`"`:                 `""""`,
		`x" ; DROP USER y;`: `"x"" ; DROP USER y;"`,
		"üñí":               `"üñí"`,
		`back\slash'`:       `"back\slash'"`,
	} {
		got, err := QuoteIdent(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
}

func TestQuoteLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"":                 `''`,
		"plain":            `'plain'`,
		"it's":             `'it''s'`,
		`back\slash`:       `'back\\slash'`,
		`\'`:               `'\\'''`,
		`x'; DROP USER y;`: `'x''; DROP USER y;'`,
		"line\nbreak":      "'line\nbreak'",
		`\`:                `'\\'`,
	} {
		got, err := QuoteLiteral(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
}

func TestQuoteRejects(t *testing.T) {
	cases := []struct {
		name, in string
		ident    bool
		reason   string
		offset   int
	}{
		{"empty identifier", "", true, "is empty", -1},
		{"NUL identifier", "ab\x00c", true, "contains a NUL byte", 2},
		{"bad UTF-8 identifier", "ab\xffc", true, "is not valid UTF-8", 2},
		{"NUL literal", "\x00", false, "contains a NUL byte", 0},
		{"bad UTF-8 literal", "é\xc3", false, "is not valid UTF-8", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.ident {
				_, err = QuoteIdent(c.in)
			} else {
				_, err = QuoteLiteral(c.in)
			}
			var qe *QuoteError
			require.ErrorAs(t, err, &qe)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.Equal(t, c.reason, qe.Reason)
			assert.Equal(t, c.offset, qe.Offset)
		})
	}
	_, err := QuoteLiteral("secret-comment\x00")
	assert.NotContains(t, err.Error(), "secret-comment")
}

var quoteSeeds = []string{"", "a", `"`, `""`, "'", "''", `\`, `\\`, `\'`, `'\`, "x\ny", "a\x00b", "\xff", "é", "\"'\\", "a'b\"c\\d", "' OR 1=1 --", "\\\"", "\xe2\x80"}

// checkQuoteError asserts a refusal is typed and justified by the input.
func checkQuoteError(t *testing.T, in string, err error) {
	var qe *QuoteError
	if !errors.As(err, &qe) || !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("untyped error %v", err)
	}
	if strings.IndexByte(in, 0) < 0 && utf8.ValidString(in) && !(in == "" && qe.Kind == "identifier") {
		t.Fatalf("refused acceptable input %q: %v", in, err)
	}
}

func FuzzQuoteIdent(f *testing.F) {
	for _, s := range quoteSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := QuoteIdent(in)
		if err != nil {
			checkQuoteError(t, in, err)
			return
		}
		// Whatever follows the identifier in a statement must stay outside
		// it. (Builders always put a space after a quoted token, so a quote
		// right after it, which SQL would read as a doubled quote, never
		// occurs.)
		for _, tail := range []string{"", ` "x"`, "; DROP USER u", `\"x`} {
			got, n, ok := scanIdent(out + tail)
			if !ok || n != len(out) || got != in {
				t.Fatalf("QuoteIdent(%q) = %q read back as %q, consumed %d of %d", in, out, got, n, len(out))
			}
		}
	})
}

func FuzzQuoteLiteral(f *testing.F) {
	for _, s := range quoteSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := QuoteLiteral(in)
		if err != nil {
			checkQuoteError(t, in, err)
			return
		}
		for _, tail := range []string{"", ` 'x'`, `\'`, "; DROP USER u"} {
			got, n, ok := scanLiteral(out+tail, true)
			if !ok || n != len(out) || got != in {
				t.Fatalf("QuoteLiteral(%q) = %q read back as %q, consumed %d of %d", in, out, got, n, len(out))
			}
			// A reader without backslash escapes must find the same end.
			_, n, ok = scanLiteral(out+tail, false)
			if !ok || n != len(out) {
				t.Fatalf("QuoteLiteral(%q) = %q ends at %d for a standard SQL reader, want %d", in, out, n, len(out))
			}
		}
	})
}
