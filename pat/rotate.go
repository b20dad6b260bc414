package pat

import (
	"context"
	"errors"
)

// RotateOptions are the options of ALTER USER … ROTATE PROGRAMMATIC ACCESS
// TOKEN. The zero value keeps Snowflake's default grace period (24 hours),
// so forgetting to set it never cuts off clients still using the old
// secret; cutting them off at once must be asked for with
// ExpireImmediately.
type RotateOptions struct {
	// GraceHours is EXPIRE_ROTATED_TOKEN_AFTER_HOURS: how long the old
	// secret keeps working. 0 means Snowflake's default.
	GraceHours int
	// ExpireImmediately sends EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0: the
	// old secret stops working now. Use it for a leaked token.
	ExpireImmediately bool
}

var errNoRotatedName = errors.New("result has no rotated_token_name")

// Rotate gives the token a new secret and returns it. The old secret stays
// valid for the grace period as a separate token, named in the result.
// Rotation keeps the token's name and the length of its lifetime.
//
// Should Snowflake's answer lack the rotated token's name, the new secret is
// still returned, together with the error: it is live and must be stored.
func (c *Client) Rotate(ctx context.Context, user, name string, o RotateOptions) (RotateResult, error) {
	tok, err := checkTarget(user, name)
	op := tokenOp("rotate", user, orName(tok, name))
	if err == nil {
		err = c.limits.validateRotate(o)
	}
	if err != nil {
		return RotateResult{}, withOp(op, err)
	}
	query, err := rotateTokenSQL(user, tok, o)
	if err != nil {
		return RotateResult{}, withOp(op, err)
	}
	rows, err := c.query(ctx, query, nil)
	if err != nil {
		return RotateResult{}, withOp(op, err)
	}
	res, err := rotateResultFrom(rows, tok)
	return res, withOp(op, err)
}

func rotateResultFrom(rows []row, tok string) (RotateResult, error) {
	if len(rows) == 0 {
		return RotateResult{}, errNoSecret
	}
	r := rows[0]
	res := RotateResult{TokenName: tok}
	if name, err := cellString(r["token_name"]); err == nil && name != "" {
		res.TokenName = name
	}
	text, err := cellString(r["token_secret"])
	if err != nil || text == "" {
		return RotateResult{}, errNoSecret
	}
	res.Secret = NewSecret(text)
	rotated, err := cellString(r["rotated_token_name"])
	if err != nil || rotated == "" {
		// The new secret is valid and must not be lost: return it with the
		// error, so the caller can still store it.
		return res, errNoRotatedName
	}
	res.RotatedTokenName = rotated
	return res, nil
}
