// Package urlmux is the scheme registry behind secrets.URLMux and
// push.URLMux: URL schemes mapped to openers that adapter packages register
// from init functions, and the checks every opener makes on a URL.
package urlmux

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Registry maps schemes to openers of type O. Its zero value is empty and
// ready to use; it is safe for concurrent use.
type Registry[O any] struct {
	mu      sync.RWMutex
	openers map[string]O
}

// Register adds op for scheme. It panics, naming pkg, if the scheme is
// malformed, op is nil, or the scheme is already registered: these are
// programming errors, made in init functions.
func (r *Registry[O]) Register(pkg, scheme string, op O) {
	if !ValidScheme(scheme) {
		panic(fmt.Sprintf("%s: Register: invalid scheme %q", pkg, scheme))
	}
	if v := reflect.ValueOf(op); !v.IsValid() || v.Kind() == reflect.Func && v.IsNil() {
		panic(fmt.Sprintf("%s: Register: nil opener for scheme %q", pkg, scheme))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.openers[scheme]; dup {
		panic(fmt.Sprintf("%s: Register: scheme %q registered twice", pkg, scheme))
	}
	if r.openers == nil {
		r.openers = make(map[string]O)
	}
	r.openers[scheme] = op
}

// Lookup returns the opener for scheme.
func (r *Registry[O]) Lookup(scheme string) (O, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	op, ok := r.openers[scheme]
	return op, ok
}

// Schemes returns the registered schemes, sorted.
func (r *Registry[O]) Schemes() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.openers))
	for s := range r.openers {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// SchemeList is Schemes for a message: comma-separated, or "none".
func (r *Registry[O]) SchemeList() string {
	s := r.Schemes()
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// ValidScheme follows RFC 3986 section 3.1, lowercase only.
func ValidScheme(s string) bool {
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

// ParseReason is why url.Parse refused a URL, without the URL itself,
// which may hold a credential in its user info or query.
func ParseReason(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// BadQuery finds the first query parameter of u, in sorted order, that is
// not in allowed, or that is given more than once when once is set. It
// reports malformed when the query does not parse.
func BadQuery(u *url.URL, allowed []string, once bool) (key string, repeated, malformed bool) {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", false, true
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return k, false, false
		}
		if once && len(q[k]) > 1 {
			return k, true, false
		}
	}
	return "", false, false
}
