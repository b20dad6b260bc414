package pat

import (
	"context"
	"fmt"
)

// List returns the user's tokens as SHOW USER PROGRAMMATIC ACCESS TOKENS
// reports them: active, disabled, rotated-out and recently expired ones.
func (c *Client) List(ctx context.Context, user string) ([]Token, error) {
	op := fmt.Sprintf("list tokens of user %q", user)
	if err := ValidateUserName(user); err != nil {
		return nil, withOp(op, err)
	}
	query, err := showTokensSQL(user)
	if err != nil {
		return nil, withOp(op, err)
	}
	rs, err := c.db.QueryContext(ctx, query)
	if err != nil {
		return nil, withOp(op, mapError(err))
	}
	tokens, err := decodeTokens(rs)
	return tokens, withOp(op, mapError(err))
}

// Get returns one token of the user, or an error matching ErrNotFound.
// SHOW has no filter by token name, so Get lists and picks.
func (c *Client) Get(ctx context.Context, user, name string) (Token, error) {
	tok, err := checkTarget(user, name)
	op := tokenOp("get", user, orName(tok, name))
	if err != nil {
		return Token{}, withOp(op, err)
	}
	tokens, err := c.List(ctx, user)
	if err != nil {
		return Token{}, err
	}
	for _, t := range tokens {
		if t.Name == tok {
			return t, nil
		}
	}
	return Token{}, withOp(op, ErrNotFound)
}
