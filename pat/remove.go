package pat

import (
	"context"
	"errors"
	"sort"
)

// Remove deletes the token; its secret stops working at once. A token that
// does not exist is ErrNotFound (Snowflake has no IF EXISTS here).
func (c *Client) Remove(ctx context.Context, user, name string) error {
	return c.modify(ctx, "remove", user, name, nil, removeTokenSQL)
}

// RemoveAll deletes every token of user, rotated-out ones included, and
// returns the tokens it removed. It is the response to a compromised user:
// nothing the user had keeps working.
//
// It lists the tokens, then removes them one by one, rotated-out tokens
// first so that each is removed by name even if removing the token it was
// rotated into takes it along. A token already gone by the time its turn
// comes is skipped, not an error. On any other failure it stops and returns
// what it removed so far with the error. Tokens added while it runs are not
// removed.
func (c *Client) RemoveAll(ctx context.Context, user string) ([]Token, error) {
	tokens, err := c.List(ctx, user)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(tokens, func(i, j int) bool { return tokens[i].IsRotated() && !tokens[j].IsRotated() })
	var removed []Token
	for _, t := range tokens {
		err := c.removeListed(ctx, user, t.Name)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return removed, err
		}
		removed = append(removed, t)
	}
	return removed, nil
}

// removeListed removes a token by the name SHOW reported. That name is
// passed through as is (quoted, not upper-cased), so even a token whose
// stored name breaks the documented rules can be removed.
func (c *Client) removeListed(ctx context.Context, user, name string) error {
	op := tokenOp("remove", user, name)
	query, err := removeTokenSQL(user, name)
	if err != nil {
		return withOp(op, err)
	}
	return withOp(op, c.exec(ctx, query))
}
