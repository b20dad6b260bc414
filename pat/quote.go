package pat

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is the only place that turns caller text into SQL text. Every
// statement builder goes through QuoteIdent or QuoteLiteral; nothing is ever
// spliced in unquoted, so the audit for SQL injection is this file and its
// fuzz tests.
//
// Identifiers are always written double-quoted. Snowflake keeps a quoted
// identifier exactly as written (no folding to upper case), which is why the
// API asks for names as Snowflake stores them (see NormalizeName).
//
// String literals are single-quoted with two substitutions: a backslash
// becomes \\ and a single quote becomes ''. Snowflake reads backslash escapes
// inside single-quoted strings, so a lone backslash must be doubled or it
// would change the text (\n) or swallow the closing quote (\'). For the
// quote we chose the SQL-standard doubling over \' because then the place
// where the literal ends is the same whether or not a reader treats backslash
// as an escape: with every backslash doubled, no quote in our output is ever
// preceded by an odd run of backslashes. A reader with either rule finds the
// same token boundary, so a disagreement about escapes between us, the
// driver, a proxy or a log scanner can never turn data into SQL.

// QuoteError reports text that cannot be quoted. It never contains the text
// itself, only where the problem is, because the text may be sensitive (a
// comment) or not printable (invalid UTF-8). It matches ErrInvalidArgument
// under errors.Is.
type QuoteError struct {
	Kind   string // "identifier" or "string literal"
	Reason string // "is empty", "contains a NUL byte", "is not valid UTF-8"
	Offset int    // byte offset of the offending byte, or -1
}

func (e *QuoteError) Error() string {
	if e.Offset < 0 {
		return "pat: " + e.Kind + " " + e.Reason
	}
	return "pat: " + e.Kind + " " + e.Reason + " at byte " + strconv.Itoa(e.Offset)
}

// Unwrap makes a QuoteError an ErrInvalidArgument.
func (e *QuoteError) Unwrap() error { return ErrInvalidArgument }

// QuoteIdent returns s as a double-quoted Snowflake identifier, with each "
// doubled. It rejects the empty string (Snowflake has no zero-length
// identifier), NUL bytes and invalid UTF-8 rather than emit them.
func QuoteIdent(s string) (string, error) {
	if s == "" {
		return "", &QuoteError{Kind: "identifier", Reason: "is empty", Offset: -1}
	}
	if err := checkQuotable(s, "identifier"); err != nil {
		return "", err
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`, nil
}

// QuoteLiteral returns s as a single-quoted Snowflake string literal: each
// backslash is doubled and each single quote is doubled. The empty string is
// allowed and becomes two single quotes. NUL bytes and invalid UTF-8 are
// rejected rather than emitted.
func QuoteLiteral(s string) (string, error) {
	if err := checkQuotable(s, "string literal"); err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`''`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String(), nil
}

// checkQuotable rejects what no quoting can carry safely: a NUL may end the
// text early in C-based layers (ODBC, logs), and invalid UTF-8 may be
// repaired differently by each layer it passes through.
func checkQuotable(s, kind string) error {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return &QuoteError{Kind: kind, Reason: "contains a NUL byte", Offset: i}
	}
	if !utf8.ValidString(s) {
		return &QuoteError{Kind: kind, Reason: "is not valid UTF-8", Offset: firstInvalidUTF8(s)}
	}
	return nil
}

func firstInvalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}
