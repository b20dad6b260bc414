package push

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/snowpat/snowpat/push/driver"
)

// Content and Connection describe what a destination addresses, as the BI
// tool reports it; see package driver for their fields.
type (
	Content    = driver.Content
	Connection = driver.Connection
)

// Result is what Inspect found and Push wrote.
type Result struct {
	// Content is the content the destination addresses, with all its
	// connections.
	Content Content
	// Connections are the Snowflake connections that receive the
	// credential: those Inspect found eligible, or those Push wrote.
	Connections []Connection
}

// Destination is one piece of BI content (a Tableau data source or
// workbook, a Power BI semantic model) whose Snowflake connections
// receive a credential after each rotation. It is safe for concurrent
// use.
type Destination struct {
	d        driver.Destination
	tester   driver.Tester // nil when the driver cannot test
	identity string
	closed   atomic.Bool
}

// NewDestination wraps a driver. It is for adapter packages, whose own
// constructors return a *Destination; applications call those or Open.
func NewDestination(d driver.Destination) *Destination {
	t, _ := d.(driver.Tester)
	return &Destination{d: d, tester: t, identity: d.Identity()}
}

// Identity is the destination's canonical address, without credentials
// or query parameters: equal for two URLs that name the same content the
// same way (by name, or by id). The engine keys its record of which
// stored version each destination received by it, and two targets with
// destinations of the same identity push to the same content. Content
// named by name in one URL and by id in another has two identities; the
// Content.ID that Inspect reports tells them apart.
func (d *Destination) Identity() string { return d.identity }

// String returns the identity.
func (d *Destination) String() string { return d.identity }

// start checks what every method checks before calling the driver.
func (d *Destination) start(ctx context.Context, op string) error {
	if d.closed.Load() {
		return &Error{Op: op, Destination: d.identity, Kind: ErrInvalidArgument, msg: "the destination is closed"}
	}
	if err := ctx.Err(); err != nil {
		return &Error{Op: op, Destination: d.identity, Kind: err}
	}
	return nil
}

// Inspect reads the content and its connections and applies the checks
// Push would apply for a credential of account, changing nothing: it is
// the dry run of Push. The Result is returned whenever the content could
// be read, with an ErrNoSnowflakeConnection or ErrWrongAccount error when
// a push would be refused.
func (d *Destination) Inspect(ctx context.Context, account string) (*Result, error) {
	if err := d.start(ctx, "Inspect"); err != nil {
		return nil, err
	}
	if _, ok := accountKey(account); !ok {
		return nil, &Error{Op: "Inspect", Destination: d.identity, Kind: ErrInvalidArgument, msg: fmt.Sprintf("the account %q is not a Snowflake account identifier", account)}
	}
	c, err := d.d.Inspect(ctx)
	if err != nil {
		return nil, d.wrap(ctx, "Inspect", err)
	}
	res := &Result{Content: *c, Connections: snowflakeConnections(c)}
	if err := d.check(account)(c); err != nil {
		return res, d.wrap(ctx, "Inspect", err)
	}
	return res, nil
}

// Push writes cred into every Snowflake connection of the content: user
// name and password, password embedded. It refuses, before changing
// anything, content with no Snowflake connection (ErrNoSnowflakeConnection)
// or with one that points at another account (ErrWrongAccount). Pushing
// the same credential again is harmless, so a failed or interrupted push
// is retried by pushing again.
func (d *Destination) Push(ctx context.Context, cred Credential) (*Result, error) {
	if err := d.start(ctx, "Push"); err != nil {
		return nil, err
	}
	if err := cred.validate(); err != nil {
		return nil, &Error{Op: "Push", Destination: d.identity, Kind: ErrInvalidArgument, msg: "credential: " + err.Error()}
	}
	var content Content
	check := d.check(cred.Account)
	written, err := d.d.Push(ctx, cred.driver(), func(c *driver.Content) error {
		content = *c
		return check(c)
	})
	if err != nil {
		return nil, d.wrap(ctx, "Push", err)
	}
	return &Result{Content: content, Connections: written}, nil
}

// check returns the refusals every push applies: at least one Snowflake
// connection, and every one of them to account.
func (d *Destination) check(account string) func(*driver.Content) error {
	return func(c *driver.Content) error {
		sf := snowflakeConnections(c)
		if len(sf) == 0 {
			return &Error{Op: "Push", Destination: d.identity, Kind: ErrNoSnowflakeConnection,
				msg: fmt.Sprintf("%s %q has %d connections and none is a Snowflake connection with a user name and password%s", c.Kind, c.Name, len(c.Connections), otherTypes(c))}
		}
		for _, conn := range sf {
			if !MatchAccount(account, conn.Server) {
				return &Error{Op: "Push", Destination: d.identity, Kind: ErrWrongAccount,
					msg: fmt.Sprintf("connection %s of %s %q points at %q, which is not account %q's address (<account>.snowflakecomputing.com)", conn.ID, c.Kind, c.Name, conn.Server, account)}
			}
		}
		return nil
	}
}

func snowflakeConnections(c *driver.Content) []Connection {
	var out []Connection
	for _, conn := range c.Connections {
		if conn.Snowflake {
			out = append(out, conn)
		}
	}
	return out
}

// otherTypes lists the connection types found, to help whoever reads the
// refusal: a workbook whose only connection is "sqlproxy" uses a published
// data source, which is where the push belongs.
func otherTypes(c *driver.Content) string {
	if len(c.Connections) == 0 {
		return ""
	}
	var types []string
	for _, conn := range c.Connections {
		types = append(types, conn.Type)
	}
	return " (types: " + strings.Join(types, ", ") + ")"
}

// SupportsTest reports whether the destination's tool can run a
// connection test through its API at all.
func (d *Destination) SupportsTest() bool { return d.tester != nil }

// Test runs the tool's closest thing to a connection test (a refresh of
// the content) and waits for its outcome: nil if it succeeded,
// ErrRefreshFailed if it ran and failed, ErrUnsupported if the content
// cannot be refreshed through the API.
func (d *Destination) Test(ctx context.Context) error {
	if err := d.start(ctx, "Test"); err != nil {
		return err
	}
	if d.tester == nil {
		return &Error{Op: "Test", Destination: d.identity, Kind: ErrUnsupported, msg: "the tool has no connection test in its API"}
	}
	return d.wrap(ctx, "Test", d.tester.Test(ctx))
}

// As sets i, which must be a non-nil pointer, to the driver's native
// client (the types each adapter supports are in its documentation) and
// reports whether it did.
func (d *Destination) As(i any) bool {
	if !isNonNilPointer(i) {
		return false
	}
	return d.d.As(i)
}

// ErrorAs sets target, a non-nil pointer to an error type or an
// interface, to the driver's native error inside err (an error this
// Destination returned), and reports whether it did.
func (d *Destination) ErrorAs(err error, target any) bool {
	if err == nil || !isNonNilPointer(target) {
		return false
	}
	t := reflect.TypeOf(target).Elem()
	if t.Kind() != reflect.Interface && !t.Implements(reflect.TypeFor[error]()) {
		return false
	}
	if e, ok := errors.AsType[*Error](err); ok {
		if e.Err == nil {
			return false
		}
		err = e.Err
	}
	return d.d.ErrorAs(err, target)
}

func isNonNilPointer(i any) bool {
	v := reflect.ValueOf(i)
	return v.Kind() == reflect.Pointer && !v.IsNil()
}

// Close releases the driver's resources. Call it once, after every other
// call has returned; later calls return ErrInvalidArgument.
func (d *Destination) Close() error {
	if !d.closed.CompareAndSwap(false, true) {
		return &Error{Op: "Close", Destination: d.identity, Kind: ErrInvalidArgument, msg: "the destination is already closed"}
	}
	return d.wrap(context.Background(), "Close", d.d.Close())
}
