package pat

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameLength is Snowflake's limit on identifier length, in characters.
const MaxNameLength = 255

// How names are treated, in one place:
//
// Snowflake folds an unquoted name to upper case (powerbi_service is stored
// as POWERBI_SERVICE) and keeps a quoted one as written ("powerbi_service"
// is a different, lower-case user). Every name this package sends is
// quoted, so callers pass user, role, warehouse and network policy names
// exactly as Snowflake stores them, the way SHOW and DESCRIBE print them.
// NormalizeName turns a name written unquoted-style into that stored form.
//
// Token names are the one exception: Snowflake only allows letters, digits
// and underscores in them and always stores them upper case, so there is no
// ambiguity, and this package upper-cases them before use.

// NormalizeName returns the name Snowflake stores for name written without
// quotes in SQL: a name made only of ASCII letters, digits, _ and $ that
// does not start with a digit or $ is upper-cased; any other name can only
// be written quoted, is stored as written, and is returned unchanged.
// (An account with QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE upper-cases quoted
// names too; there, upper-case every name yourself.)
func NormalizeName(name string) string {
	if !isUnquotedIdent(name) {
		return name
	}
	return strings.ToUpper(name)
}

func isUnquotedIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '$'):
		default:
			return false
		}
	}
	return true
}

// ValidateTokenName checks a token name against Snowflake's rules: letters,
// digits and underscores, starting with a letter or underscore, at most
// MaxNameLength characters. Lower-case letters are accepted; see
// TokenNameOf for the stored form.
func ValidateTokenName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: token name must not be empty", ErrInvalidArgument)
	case len(name) > MaxNameLength:
		return fmt.Errorf("%w: token name must be at most %d characters", ErrInvalidArgument, MaxNameLength)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return fmt.Errorf("%w: token name must be letters, digits and underscores, starting with a letter or underscore (bad character at byte %d)", ErrInvalidArgument, i)
		}
	}
	return nil
}

// TokenNameOf validates name and returns it as Snowflake stores it (upper
// case).
func TokenNameOf(name string) (string, error) {
	if err := ValidateTokenName(name); err != nil {
		return "", err
	}
	return strings.ToUpper(name), nil
}

// ValidateUserName checks a user name: since it is always sent quoted, any
// non-empty valid UTF-8 text of at most MaxNameLength characters without
// control characters is accepted.
func ValidateUserName(name string) error { return validateObjectName("user name", name) }

// validateObjectName applies the rules for quoted names to a user, role,
// warehouse or network policy name. field names the argument in the error;
// the name itself is left out because an invalid name may not be printable.
func validateObjectName(field, name string) error {
	if name == "" {
		return fmt.Errorf("%w: %s must not be empty", ErrInvalidArgument, field)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidArgument, field)
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return fmt.Errorf("%w: %s must be at most %d characters, got %d", ErrInvalidArgument, field, MaxNameLength, n)
	}
	for i, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s must not contain control characters (found at byte %d)", ErrInvalidArgument, field, i)
		}
	}
	return nil
}

// validateText checks free text sent as a string literal (a comment): it
// must be quotable. Line breaks and tabs are fine in a comment.
func validateText(field, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%w: %s must not contain NUL", ErrInvalidArgument, field)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidArgument, field)
	}
	return nil
}
