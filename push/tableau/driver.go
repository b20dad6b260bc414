package tableau

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/snowpat/snowpat/push/driver"
)

// dest is one data source or workbook on one site of one server.
type dest struct {
	c        *client
	kind     kind
	content  string // the name or id from the URL
	identity string
}

var _ driver.Destination = (*dest)(nil)
var _ driver.Tester = (*dest)(nil)

func (d *dest) Identity() string { return d.identity }

// read signs in, finds the content and reads its connections; the caller
// ends the session.
func (d *dest) read(ctx context.Context) (*session, item, *driver.Content, error) {
	s, err := d.c.begin(ctx)
	if err != nil {
		return nil, item{}, nil, err
	}
	it, err := d.find(ctx, s)
	if err != nil {
		return s, item{}, nil, err
	}
	conns, err := d.connections(ctx, s, it)
	if err != nil {
		return s, item{}, nil, err
	}
	return s, it, &driver.Content{Kind: d.kind.singular, ID: it.id, Name: it.name, Connections: conns}, nil
}

func (d *dest) Inspect(ctx context.Context) (*driver.Content, error) {
	s, _, c, err := d.read(ctx)
	s.end(ctx)
	return c, err
}

// Push updates every Snowflake connection in turn, within one session.
// Nothing needs preparing beyond the check: each update is one request
// carrying the credential.
func (d *dest) Push(ctx context.Context, cred driver.Credential, check func(*driver.Content) error) ([]driver.Connection, error) {
	s, it, c, err := d.read(ctx)
	defer s.end(ctx)
	if err != nil {
		return nil, err
	}
	if err := check(c); err != nil {
		return nil, err
	}
	var sf, done []driver.Connection
	for _, conn := range c.Connections {
		if conn.Snowflake {
			sf = append(sf, conn)
		}
	}
	for _, conn := range sf {
		if err := d.update(ctx, s, it, conn.ID, cred); err != nil {
			return done, fmt.Errorf("connection %s (%d of %d written before it): %w", conn.ID, len(done), len(sf), err)
		}
		done = append(done, conn)
		d.c.log.Info("push: credential written", "destination", d.identity, "connection", conn.ID, "user", cred.User, "version", cred.Version)
	}
	return done, nil
}

func (d *dest) ErrorCode(err error) driver.ErrorCode { return errorCode(err) }

// As supports **http.Client, the client the adapter sends requests with.
func (d *dest) As(i any) bool {
	if p, ok := i.(**http.Client); ok {
		*p = d.c.http
		return true
	}
	return false
}

func (d *dest) ErrorAs(err error, i any) bool { return errors.As(err, i) }

func (d *dest) Close() error { return d.c.creds.close() }
