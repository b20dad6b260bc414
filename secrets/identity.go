package secrets

import (
	"net/url"
	"path"
	"strings"

	"github.com/snowpat/snowpat/internal/urlmux"
)

// Identifier computes the identity of the secret a URL of its scheme
// names (see [URLMux.Identity]). It receives a parsed URL whose scheme is
// the one it was registered for. It works offline: it may read the
// environment and local files, as the scheme's Opener does to decide
// where to connect, but it never contacts the backend. It refuses what
// the Opener would refuse about the URL's shape (unknown query
// parameters, a malformed name) with an error matching
// ErrInvalidArgument, so that a URL that cannot be opened has no
// identity either.
type Identifier func(u *url.URL) (string, error)

// RegisterIdentity makes Identity compute identities of scheme's URLs
// with id. An adapter registers it beside its Opener, from the same init
// function; a scheme with an Opener and no Identifier gets the fallback
// Identity describes. It panics if the scheme is malformed, id is nil,
// or the scheme already has one.
func (m *URLMux) RegisterIdentity(scheme string, id Identifier) {
	m.ids.Register("secrets", scheme, id)
}

// Identity returns a canonical identity of the secret urlstr names: two
// URLs have equal identities when they open the same secret, however they
// are spelled, as far as can be told without contacting the backend. It
// is what a program compares to find two configured stores that are one
// (a duplicate-store check), never what it opens.
//
// Each scheme's adapter defines its identity (memstore: the name;
// filestore: the directory, cleaned, with the symlinks of its existing
// part resolved; awssm: region and name, and the endpoint if one is set;
// gcpsm: project and secret; azkv: vault host and name, both
// case-insensitive; vault: server address, namespace, mount and path).
// The adapters' documentation says what each cannot see. Where a
// difference cannot be decided offline the identity leans towards
// "same": a false duplicate costs a configuration change, a missed one
// lets one target overwrite another's secret.
//
// A scheme whose adapter registers no Identifier gets a conservative
// fallback: the scheme, the host in lowercase (user info dropped) and the
// path cleaned as path.Clean does, with the query and fragment ignored.
// So URLs that differ only in their query or in "." and ".." segments are
// the same secret to it, even where the adapter would tell them apart.
//
// The result is an opaque string to compare with ==. It holds names and
// addresses (never user info), so it may be logged; its form is not a
// stable format and must not be stored. An unparsable URL, one without a
// scheme, a scheme no adapter registered (an Opener is needed, as for
// OpenStore) and a URL the scheme's Identifier refuses are ErrInvalidArgument.
func (m *URLMux) Identity(urlstr string) (string, error) {
	u, err := url.Parse(urlstr)
	if err != nil {
		return "", invalid("Identity", "cannot parse the URL: %v", urlmux.ParseReason(err))
	}
	if u.Scheme == "" {
		return "", invalid("Identity", "the URL has no scheme; want one of %s", m.reg.SchemeList())
	}
	if _, ok := m.reg.Lookup(u.Scheme); !ok {
		return "", invalid("Identity", "no opener for scheme %q (registered: %s); import the adapter package that provides it", u.Scheme, m.reg.SchemeList())
	}
	id, ok := m.ids.Lookup(u.Scheme)
	if !ok {
		return fallbackIdentity(u), nil
	}
	s, err := id(u)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return "", &Error{Op: "Identity", Kind: e.Kind, Err: e.Err, msg: e.msg}
		}
		return "", &Error{Op: "Identity", Kind: ErrInvalidArgument, Err: err}
	}
	return s, nil
}

// fallbackIdentity is scheme://host/cleaned-path, for schemes without an
// Identifier.
func fallbackIdentity(u *url.URL) string {
	if u.Opaque != "" {
		return u.Scheme + ":" + u.Opaque
	}
	p := u.Path
	if p != "" {
		p = path.Clean(p)
		if p == "." {
			p = ""
		}
	}
	out := url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host), Path: p}
	return out.String()
}

// RegisterIdentity registers id for scheme on the default URLMux.
func RegisterIdentity(scheme string, id Identifier) { defaultMux.RegisterIdentity(scheme, id) }

// Identity returns the identity of the secret urlstr names, with the
// default URLMux: see [URLMux.Identity].
func Identity(urlstr string) (string, error) { return defaultMux.Identity(urlstr) }
