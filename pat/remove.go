package pat

import (
	"context"
	"errors"
	"sort"
)

// Remove deletes the token; its secret stops working at once. It sends
// REMOVE … IF EXISTS, so a token that is already gone is not an error: a
// retry after a lost answer, or two removers racing, end the same way. A
// user that does not exist is still ErrNotFound.
func (c *Client) Remove(ctx context.Context, user, name string) error {
	return c.modify(ctx, "remove", user, name, nil, removeTokenSQL)
}

// RemoveAll deletes every token of user, rotated-out ones included, and
// returns the tokens it removed. It is the response to a compromised user:
// nothing the user had keeps working.
//
// It lists the tokens, then removes them one by one with REMOVE … IF
// EXISTS, rotated-out tokens first so that each is removed by name even if
// removing the token it was rotated into takes it along. A token already
// gone by the time its turn comes (a half-finished earlier RemoveAll,
// another remover) is not an error; a token reported "not found" by a
// Snowflake that ignores IF EXISTS is skipped too. On any other failure it
// stops and returns what it removed so far with the error, so that calling
// it again finishes the job. Tokens added while it runs are not removed.
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
