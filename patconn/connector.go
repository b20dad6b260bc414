package patconn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// Connector is a database/sql/driver.Connector for sql.OpenDB whose every
// new connection logs in with the current token from a store.
type Connector struct {
	base   gosnowflake.Config
	reader *Reader
	drv    gosnowflake.SnowflakeDriver
	login  pat.LoginOptions
}

// NewConnector returns a Connector that logs in as cfg.User, with cfg's
// account, host and settings and the token in store; cfg's credentials
// are replaced with the token.
//
// cfg.User is required (ErrNoUser otherwise): the connector never lets a
// stored secret choose whom to log in as. A stored token that records
// another user is refused with ErrUserMismatch before anything is sent.
// A nil store is ErrNoStore; an opts.User that disagrees with cfg.User is
// ErrUserMismatch.
func NewConnector(cfg gosnowflake.Config, store *secrets.Store, opts Options) (*Connector, error) {
	if store == nil {
		return nil, ErrNoStore
	}
	if cfg.User == "" {
		return nil, ErrNoUser
	}
	if opts.User != "" && !strings.EqualFold(opts.User, cfg.User) {
		return nil, fmt.Errorf("%w: Options.User is %q, Config.User %q", ErrUserMismatch, opts.User, cfg.User)
	}
	opts.User = cfg.User
	login := pat.LoginOptions{InsecureHTTP: opts.InsecureHTTP, Logger: opts.Logger}
	if !opts.InsecureHTTP {
		// Refused at construction, before any token is read.
		if err := pat.CheckTransport(cfg, login); err != nil {
			return nil, fmt.Errorf("patconn: %w", err)
		}
	}
	r, err := NewReader(store, opts)
	if err != nil {
		return nil, err
	}
	return &Connector{base: cfg, reader: r, login: login}, nil
}

// Reader is the connector's cached reader, for code that also needs the
// token itself.
func (c *Connector) Reader() *Reader { return c.reader }

// Driver returns gosnowflake's driver.
func (c *Connector) Driver() driver.Driver { return c.drv }

// Connect logs in with the current token. A login refused as an invalid
// token is retried once with a token re-read from the store, if the store
// now holds a different one.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	tok, err := c.reader.Get(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := c.connect(ctx, tok)
	if err == nil || !invalidToken(err) {
		return conn, err
	}
	fresh, rerr := c.reader.Refresh(ctx)
	if rerr != nil || fresh.Secret.Equal(tok.Secret) {
		return nil, err
	}
	return c.connect(ctx, fresh)
}

func (c *Connector) connect(ctx context.Context, tok Token) (driver.Conn, error) {
	cfg := pat.LoginConfig(c.base, c.base.User, tok.Secret)
	if err := pat.CheckTransport(cfg, c.login); err != nil {
		return nil, fmt.Errorf("patconn: %w", err)
	}
	conn, err := gosnowflake.NewConnector(c.drv, cfg).Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("patconn: login as %s: %w", cfg.User, pat.Classify(err, tok.Secret))
	}
	return conn, nil
}

func invalidToken(err error) bool {
	return errors.Is(err, pat.ErrInvalidToken) || errors.Is(err, pat.ErrBadCredentials)
}

// Close cancels the reader's store read in flight and waits for it;
// sql.DB.Close calls it.
func (c *Connector) Close() error { return c.reader.Close() }
