package driver

import "context"

// Destination is one piece of BI content whose Snowflake connections
// receive a credential. Its methods are safe for concurrent use.
type Destination interface {
	// Identity is the content's canonical address: the same for every URL
	// that names the same content in the same way (scheme, host and ids
	// lowercased where the tool ignores case, default ports and query
	// parameters dropped), and free of credentials. Two destinations with
	// the same identity push to the same content.
	Identity() string

	// Inspect finds the content and reads its connections. It changes
	// nothing.
	Inspect(ctx context.Context) (*Content, error)

	// Push finds the content, reads its connections and calls check with
	// them. If check returns an error, Push returns it unchanged and has
	// changed nothing. Otherwise Push prepares a request for every
	// connection marked Snowflake, and only then writes cred's user name
	// and secret, password embedded, into each, and returns the
	// connections it wrote. An error after the first write says which
	// connections were written.
	Push(ctx context.Context, cred Credential, check func(*Content) error) ([]Connection, error)

	// ErrorCode classifies an error returned by this Destination's
	// methods. It is never called with a nil error nor with a context
	// error.
	ErrorCode(err error) ErrorCode

	// As sets i, a non-nil pointer, to the driver's native client and
	// reports whether it did; which types are supported is the adapter's
	// documentation.
	As(i any) bool

	// ErrorAs sets i, a non-nil pointer to an error type or an interface,
	// to the native error err wraps, and reports whether it did.
	ErrorAs(err error, i any) bool

	// Close releases the driver's resources. The portable layer calls it
	// at most once, after every other call has returned.
	Close() error
}

// Tester is implemented by Destinations that can run the tool's closest
// thing to a connection test.
type Tester interface {
	// Test starts a refresh of the content (or the tool's equivalent),
	// waits for its outcome and returns nil if it succeeded, a
	// CodeRefreshFailed error if it ran and failed (the tool's message
	// says why), or CodeUnsupported if the content cannot be refreshed
	// through the API (a Tableau live connection, for one).
	Test(ctx context.Context) error
}
