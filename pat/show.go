package pat

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// tokenColumns maps each SHOW USER PROGRAMMATIC ACCESS TOKENS column we
// understand to the Token field it fills. Columns not listed are ignored,
// so a new column in Snowflake's output does not break listing.
var tokenColumns = map[string]func(*Token, any) error{
	"name":             textField(func(t *Token) *string { return &t.Name }),
	"user_name":        textField(func(t *Token) *string { return &t.UserName }),
	"role_restriction": textField(func(t *Token) *string { return &t.RoleRestriction }),
	"expires_at":       timeField(func(t *Token) *time.Time { return &t.ExpiresAt }),
	"status": func(t *Token, v any) error {
		s, err := cellString(v)
		t.Status = parseStatus(s)
		return err
	},
	"comment":    textField(func(t *Token) *string { return &t.Comment }),
	"created_on": timeField(func(t *Token) *time.Time { return &t.CreatedOn }),
	"created_by": textField(func(t *Token) *string { return &t.CreatedBy }),
	// Snowflake's reference pages disagree on this column's name.
	"mins_to_bypass_network_policy_requirement": intField(func(t *Token) *int { return &t.MinsToBypassNetworkPolicy }),
	"mins_to_bypass_required_network_policy":    intField(func(t *Token) *int { return &t.MinsToBypassNetworkPolicy }),
	"rotated_to":                                textField(func(t *Token) *string { return &t.RotatedTo }),
}

func textField(f func(*Token) *string) func(*Token, any) error {
	return func(t *Token, v any) (err error) {
		*f(t), err = cellString(v)
		return err
	}
}

func timeField(f func(*Token) *time.Time) func(*Token, any) error {
	return func(t *Token, v any) (err error) {
		*f(t), err = cellTime(v)
		return err
	}
}

func intField(f func(*Token) *int) func(*Token, any) error {
	return func(t *Token, v any) error {
		n, err := cellInt(v)
		if n != 0 || err != nil { // both spellings may appear; a NULL one must not erase the other
			*f(t) = n
		}
		return err
	}
}

// ErrMalformedResult is matched (errors.Is) by the error of an operation
// whose result Snowflake sent in a shape the package cannot read: a
// missing column, an unparsable cell. Nothing is guessed.
var ErrMalformedResult = errors.New("pat: malformed result")

var errNoNameColumn = fmt.Errorf("%w: SHOW USER PROGRAMMATIC ACCESS TOKENS result has no name column", ErrMalformedResult)

// tokenFromRow decodes one SHOW row. A row without a name column means the
// statement was not the one we think, and is an error rather than a nameless
// token.
func tokenFromRow(r row) (Token, error) {
	if !r.has("name") {
		return Token{}, errNoNameColumn
	}
	var t Token
	for col, v := range r {
		set := tokenColumns[col]
		if set == nil {
			continue
		}
		if err := set(&t, v); err != nil {
			return Token{}, fmt.Errorf("%w: SHOW column %s: %w", ErrMalformedResult, col, err)
		}
	}
	if t.Name == "" {
		return Token{}, fmt.Errorf("%w: SHOW row without a token name", ErrMalformedResult)
	}
	return t, nil
}

// decodeTokens reads the whole output of SHOW USER PROGRAMMATIC ACCESS
// TOKENS into tokens, matching columns by name, and closes rs.
func decodeTokens(rs *sql.Rows) ([]Token, error) {
	rows, err := readRows(rs)
	if err != nil {
		return nil, err
	}
	return tokensFromRows(rows)
}

func tokensFromRows(rows []row) ([]Token, error) {
	tokens := make([]Token, 0, len(rows))
	for _, r := range rows {
		t, err := tokenFromRow(r)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, t)
	}
	return tokens, nil
}
