package secrets

import (
	"context"
	"net/url"

	"github.com/snowpat/snowpat/internal/urlmux"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Opener opens the secret a URL names. It receives a parsed URL whose
// scheme is the one it was registered for, and must reject query
// parameters it does not know with an error matching ErrInvalidArgument
// (CheckQuery does that), so that a typo cannot silently change which
// secret is opened or how. OpenStore returns an *Error the Opener returns
// as it is, and wraps any other error as ErrInvalidArgument.
type Opener func(ctx context.Context, u *url.URL) (driver.Secret, error)

// URLMux maps URL schemes to Openers. Most programs use the default one,
// through Register and OpenStore; a separate URLMux is for tests or for
// programs that want to restrict which backends a URL may name.
type URLMux struct {
	reg urlmux.Registry[Opener]
	ids urlmux.Registry[Identifier]
}

// Register makes OpenStore open URLs of the given scheme with op. The
// scheme is lowercase, as url.Parse returns it. It panics if the scheme is
// malformed, op is nil, or the scheme is already registered: these are
// programming errors, made in init functions.
func (m *URLMux) Register(scheme string, op Opener) { m.reg.Register("secrets", scheme, op) }

// Schemes returns the registered schemes, sorted.
func (m *URLMux) Schemes() []string { return m.reg.Schemes() }

// OpenStore opens the secret urlstr names, such as
// "file:///var/lib/snowpat/powerbi" or "mem://powerbi". An unknown scheme
// or an unparsable URL is an ErrInvalidArgument error; so is an unknown
// query parameter, as the scheme's opener decides.
func (m *URLMux) OpenStore(ctx context.Context, urlstr string) (*Store, error) {
	u, err := url.Parse(urlstr)
	if err != nil {
		return nil, invalid("OpenStore", "cannot parse the URL: %v", urlmux.ParseReason(err))
	}
	if u.Scheme == "" {
		return nil, invalid("OpenStore", "the URL has no scheme; want one of %s", m.reg.SchemeList())
	}
	op, ok := m.reg.Lookup(u.Scheme)
	if !ok {
		return nil, invalid("OpenStore", "no opener for scheme %q (registered: %s); import the adapter package that provides it", u.Scheme, m.reg.SchemeList())
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Op: "OpenStore", Kind: err}
	}
	d, err := op(ctx, u)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return nil, e
		}
		return nil, &Error{Op: "OpenStore", Kind: ErrInvalidArgument, Err: err}
	}
	return NewStore(d), nil
}

// CheckQuery returns an ErrInvalidArgument error naming the first query
// parameter of u that is not in allowed, for Openers to reject what they
// do not understand.
func CheckQuery(u *url.URL, allowed ...string) error {
	switch k, _, malformed := urlmux.BadQuery(u, allowed, false); {
	case malformed:
		return invalid("OpenStore", "malformed query for scheme %q", u.Scheme)
	case k != "":
		return invalid("OpenStore", "unknown query parameter %q for scheme %q", truncate(k), u.Scheme)
	}
	return nil
}

var defaultMux URLMux

// DefaultURLMux returns the URLMux that Register and OpenStore use.
func DefaultURLMux() *URLMux { return &defaultMux }

// Register registers op for scheme on the default URLMux. Adapter packages
// call it from init, which is why importing one (a blank import is enough)
// is what makes OpenStore understand its scheme.
func Register(scheme string, op Opener) { defaultMux.Register(scheme, op) }

// OpenStore opens the secret urlstr names with the default URLMux. The
// schemes understood are those of the adapter packages the program
// imports: "mem" for memstore, "file" for filestore.
func OpenStore(ctx context.Context, urlstr string) (*Store, error) {
	return defaultMux.OpenStore(ctx, urlstr)
}
