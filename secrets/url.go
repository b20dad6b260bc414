package secrets

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

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
	mu      sync.RWMutex
	openers map[string]Opener
}

// Register makes OpenStore open URLs of the given scheme with op. The
// scheme is lowercase, as url.Parse returns it. It panics if the scheme is
// malformed, op is nil, or the scheme is already registered: these are
// programming errors, made in init functions.
func (m *URLMux) Register(scheme string, op Opener) {
	if !validScheme(scheme) {
		panic(fmt.Sprintf("secrets: Register: invalid scheme %q", scheme))
	}
	if op == nil {
		panic(fmt.Sprintf("secrets: Register: nil opener for scheme %q", scheme))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.openers[scheme]; dup {
		panic(fmt.Sprintf("secrets: Register: scheme %q registered twice", scheme))
	}
	if m.openers == nil {
		m.openers = make(map[string]Opener)
	}
	m.openers[scheme] = op
}

// Schemes returns the registered schemes, sorted.
func (m *URLMux) Schemes() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.openers))
	for s := range m.openers {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// OpenStore opens the secret urlstr names, such as
// "file:///var/lib/snowpat/powerbi" or "mem://powerbi". An unknown scheme
// or an unparsable URL is an ErrInvalidArgument error; so is an unknown
// query parameter, as the scheme's opener decides.
func (m *URLMux) OpenStore(ctx context.Context, urlstr string) (*Store, error) {
	u, err := url.Parse(urlstr)
	if err != nil {
		// url.Error repeats the URL, which may hold a credential in its
		// user info or query: say only what is wrong.
		return nil, invalid("OpenStore", "cannot parse the URL: %v", urlParseReason(err))
	}
	if u.Scheme == "" {
		return nil, invalid("OpenStore", "the URL has no scheme; want one of %s", m.schemeList())
	}
	m.mu.RLock()
	op, ok := m.openers[u.Scheme]
	m.mu.RUnlock()
	if !ok {
		return nil, invalid("OpenStore", "no opener for scheme %q (registered: %s); import the adapter package that provides it", u.Scheme, m.schemeList())
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

func (m *URLMux) schemeList() string {
	s := m.Schemes()
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func urlParseReason(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// validScheme follows RFC 3986 section 3.1, lowercase only.
func validScheme(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// CheckQuery returns an ErrInvalidArgument error naming the first query
// parameter of u that is not in allowed, for Openers to reject what they
// do not understand.
func CheckQuery(u *url.URL, allowed ...string) error {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return invalid("OpenStore", "malformed query for scheme %q", u.Scheme)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return invalid("OpenStore", "unknown query parameter %q for scheme %q", truncate(k), u.Scheme)
		}
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
