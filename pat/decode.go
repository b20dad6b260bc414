package pat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// DecodedToken is what SYSTEM$DECODE_PAT says about a secret: which token
// of which user it belongs to, and the token's state. It is how to tell a
// bad, expired and disabled token apart after a login fails with the one
// error Snowflake gives for all of them.
type DecodedToken struct {
	State     string // e.g. ACTIVE, EXPIRED, DISABLED; as Snowflake reports it
	TokenName string
	UserName  string
}

var errDecodeResult = errors.New("SYSTEM$DECODE_PAT returned an unreadable result")

// Decode asks Snowflake about secret with SELECT SYSTEM$DECODE_PAT(?). The
// secret travels as a bind parameter, never in the SQL text, and is
// scrubbed from any error Snowflake returns.
func (c *Client) Decode(ctx context.Context, secret Secret) (DecodedToken, error) {
	const op = "decode token"
	if secret.IsZero() {
		return DecodedToken{}, withOp(op, errEmptySecret)
	}
	rows, err := c.query(ctx, decodeTokenSQL, []Secret{secret}, secret.Reveal())
	if err != nil {
		return DecodedToken{}, withOp(op, err)
	}
	d, err := decodedFromRows(rows)
	return d, withOp(op, err)
}

var errEmptySecret = fmt.Errorf("%w: secret is empty", ErrInvalidArgument)

// decodedFromRows reads the function's single cell. This is the one result
// read by position: the column is named after the call expression, which is
// not a stable name.
func decodedFromRows(rows []row) (DecodedToken, error) {
	if len(rows) != 1 || len(rows[0]) != 1 {
		return DecodedToken{}, errDecodeResult
	}
	var text string
	for _, v := range rows[0] {
		s, err := cellString(v)
		if err != nil {
			return DecodedToken{}, errDecodeResult
		}
		text = s
	}
	var out struct {
		State    string `json:"STATE"`
		PATName  string `json:"PAT_NAME"`
		UserName string `json:"USER_NAME"`
	}
	// The JSON error is dropped: its text may quote the cell.
	if json.Unmarshal([]byte(text), &out) != nil {
		return DecodedToken{}, errDecodeResult
	}
	return DecodedToken{State: out.State, TokenName: out.PATName, UserName: out.UserName}, nil
}
