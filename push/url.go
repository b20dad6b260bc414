package push

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/snowpat/snowpat/internal/urlmux"
	"github.com/snowpat/snowpat/push/driver"
)

// Opener opens the destination a URL names. It receives a parsed URL
// whose scheme is the one it was registered for, and the caller's options
// with every default filled in. It must reject query parameters it does
// not know (CheckQuery does that), so that a typo cannot silently change
// where a credential goes. An *Error it returns is passed through (with
// its Destination filled in); any other error becomes ErrInvalidArgument.
type Opener func(ctx context.Context, u *url.URL, o Options) (driver.Destination, error)

// URLMux maps URL schemes to Openers. Most programs use the default one,
// through Register and Open; a separate URLMux is for tests (an adapter
// opener wired to a fake) or for programs that restrict which tools a URL
// may name.
type URLMux struct{ reg urlmux.Registry[Opener] }

// Register makes Open open URLs of the given scheme with op. The scheme is
// lowercase, as url.Parse returns it. It panics if the scheme is malformed,
// op is nil or the scheme is already registered: these are programming
// errors, made in init functions.
func (m *URLMux) Register(scheme string, op Opener) { m.reg.Register("push", scheme, op) }

// Schemes returns the registered schemes, sorted.
func (m *URLMux) Schemes() []string { return m.reg.Schemes() }

// Open opens the destination urlstr names, such as
// "tableau://tableau.example.com/finance/datasources/Sales" or
// "powerbi://groups/<workspace id>/datasets/<dataset id>". An unknown
// scheme, an unparsable URL, user info in the URL or an unknown query
// parameter is an ErrInvalidArgument error naming the URL without its
// query. opts may be nil.
func (m *URLMux) Open(ctx context.Context, urlstr string, opts *Options) (*Destination, error) {
	u, err := url.Parse(urlstr)
	if err != nil {
		// url.Error repeats the URL, which may hold a credential: say only
		// what is wrong.
		return nil, &Error{Op: "Open", Destination: "(unparsable URL)", Kind: ErrInvalidArgument, msg: fmt.Sprintf("cannot parse the URL: %v", urlmux.ParseReason(err))}
	}
	name := Redact(u)
	bad := func(format string, args ...any) error {
		return &Error{Op: "Open", Destination: name, Kind: ErrInvalidArgument, msg: fmt.Sprintf(format, args...)}
	}
	if u.Scheme == "" {
		return nil, bad("the URL has no scheme; want one of %s", m.reg.SchemeList())
	}
	if u.User != nil {
		return nil, bad("credentials do not belong in a destination URL; see the adapter's documentation for where they go")
	}
	op, ok := m.reg.Lookup(u.Scheme)
	if !ok {
		return nil, bad("no opener for scheme %q (registered: %s); import the adapter package that provides it", u.Scheme, m.reg.SchemeList())
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Op: "Open", Destination: name, Kind: err}
	}
	d, err := op(ctx, u, opts.resolved())
	if err != nil {
		if e, ok := errors.AsType[*Error](err); ok {
			if e.Destination == "" {
				e.Destination = name
			}
			return nil, e
		}
		return nil, &Error{Op: "Open", Destination: name, Kind: ErrInvalidArgument, Err: err}
	}
	return NewDestination(d), nil
}

// Redact returns u as a name for error texts and logs: scheme, host and
// path, without user info, query or fragment, which may carry
// credentials.
func Redact(u *url.URL) string {
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath, Opaque: u.Opaque}
	return r.String()
}

// CheckQuery returns an ErrInvalidArgument error naming the first query
// parameter of u that is not in allowed, or one given more than once, for
// Openers to reject what they do not understand.
func CheckQuery(u *url.URL, allowed ...string) error {
	switch k, repeated, malformed := urlmux.BadQuery(u, allowed, true); {
	case malformed:
		return NewError("Open", ErrInvalidArgument, "malformed query")
	case repeated:
		return NewError("Open", ErrInvalidArgument, "query parameter %q given %d times", k, len(u.Query()[k]))
	case k != "":
		return NewError("Open", ErrInvalidArgument, "unknown query parameter %q for scheme %q (known: %s)", truncate(k), u.Scheme, strings.Join(allowed, ", "))
	}
	return nil
}

// QueryBool reads a boolean query parameter: absent, "false" or "0" is
// false; "true", "1" or empty ("?insecure") is true; anything else is an
// ErrInvalidArgument error.
func QueryBool(u *url.URL, name string) (bool, error) {
	q := u.Query()
	if !q.Has(name) {
		return false, nil
	}
	switch strings.ToLower(q.Get(name)) {
	case "", "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, NewError("Open", ErrInvalidArgument, "query parameter %q must be true or false", name)
}

func truncate(s string) string {
	const n = 40
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

var defaultMux URLMux

// DefaultURLMux returns the URLMux that Register and Open use.
func DefaultURLMux() *URLMux { return &defaultMux }

// Register registers op for scheme on the default URLMux. Adapter packages
// call it from init, so importing one (a blank import is enough) is what
// makes Open understand its scheme.
func Register(scheme string, op Opener) { defaultMux.Register(scheme, op) }

// Open opens the destination urlstr names with the default URLMux. The
// schemes understood are those of the adapter packages the program
// imports: "tableau" for push/tableau, "powerbi" for push/powerbi.
func Open(ctx context.Context, urlstr string, opts *Options) (*Destination, error) {
	return defaultMux.Open(ctx, urlstr, opts)
}
