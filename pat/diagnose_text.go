package pat

import (
	"strings"
	"time"
	"unicode"
)

// expiresPhrase renders an expiry for a hint, or nothing when unknown.
// UTC keeps hints the same wherever Diagnose runs.
func expiresPhrase(prefix string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return prefix + t.UTC().Format("2006-01-02 15:04 MST")
}

// describeWhitespace names the whitespace around s, e.g. "leading space,
// trailing line break". It names kinds, never the text.
func describeWhitespace(s string) string {
	rest := strings.TrimLeftFunc(s, unicode.IsSpace)
	lead := s[:len(s)-len(rest)]
	trail := rest[len(strings.TrimRightFunc(rest, unicode.IsSpace)):]
	var parts []string
	if lead != "" {
		parts = append(parts, "leading "+spaceKinds(lead))
	}
	if trail != "" {
		parts = append(parts, "trailing "+spaceKinds(trail))
	}
	return strings.Join(parts, ", ")
}

func spaceKinds(s string) string {
	var kinds []string
	seen := map[string]bool{}
	for _, r := range s {
		k := "whitespace"
		switch r {
		case ' ':
			k = "space"
		case '\t':
			k = "tab"
		case '\n', '\r':
			k = "line break"
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return strings.Join(kinds, "/")
}

// sqlIdent writes a name for the SQL in a hint exactly as this package
// would send it, so that the statement can be pasted as is.
func sqlIdent(name string) string {
	q, err := QuoteIdent(name)
	if err != nil {
		return "<" + name + ">"
	}
	return q
}

func sqlIdentOr(name, placeholder string) string {
	if name == "" {
		return placeholder
	}
	return sqlIdent(name)
}
