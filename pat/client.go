package pat

import (
	"context"
	"database/sql"
	"fmt"
)

// Client runs PAT administration over a database/sql pool logged in as an
// administrator. The login must not itself use a PAT: Snowflake refuses
// token management in such a session (ErrPATSession). Use key pair, OAuth or
// workload identity.
//
// Every method validates its arguments before sending anything, sends only
// SQL built by this package's quoting, and returns errors classified by
// the sentinels (see "Errors" in the package documentation). A Client is
// safe for concurrent use.
type Client struct {
	db     *sql.DB
	limits Limits
}

// Option configures a Client.
type Option func(*Client)

// WithLimits sets the bounds checked before sending SQL; use it when an
// authentication policy lowers MAX_EXPIRY_IN_DAYS.
func WithLimits(l Limits) Option { return func(c *Client) { c.limits = l } }

// NewClient returns a Client over db. It panics if db is nil, which is a
// programming error better caught at start-up than at the first rotation.
func NewClient(db *sql.DB, opts ...Option) *Client {
	if db == nil {
		panic("pat: NewClient needs a *sql.DB")
	}
	c := &Client{db: db}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Limits returns the bounds the Client checks.
func (c *Client) Limits() Limits { return c.limits }

// exec runs a statement whose result rows, if any, we do not need.
func (c *Client) exec(ctx context.Context, query string) error {
	_, err := c.db.ExecContext(ctx, query)
	return mapError(err)
}

// query runs a statement and reads all its rows by column name. Bind
// arguments are passed to the driver, never spliced into the text; secrets
// lists any secret among them so that it is scrubbed from errors.
func (c *Client) query(ctx context.Context, query string, secrets []Secret, args ...any) ([]row, error) {
	rs, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err, secrets...)
	}
	rows, err := readRows(rs)
	return rows, mapError(err, secrets...)
}

// tokenOp names an operation on one token for errors. Names are not
// secret; token secrets and SQL text never appear in errors.
func tokenOp(verb, user, token string) string {
	return fmt.Sprintf("%s token %q of user %q", verb, token, user)
}

// checkTarget validates the user and token names every token operation
// takes and returns the token name as Snowflake stores it.
func checkTarget(user, name string) (string, error) {
	if err := ValidateUserName(user); err != nil {
		return "", err
	}
	return TokenNameOf(name)
}

// orName picks the stored token name when validation produced one and the
// caller's text otherwise, for naming the operation in errors.
func orName(tok, name string) string {
	if tok != "" {
		return tok
	}
	return name
}
