package secrets

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// InsecureParam is the query parameter by which a store URL accepts a
// connection that is not encrypted (or not authenticated) to a host that
// is not loopback: "insecure=true". Adapters that can make such a
// connection (awssm's http endpoint, gcpsm's emulator_host) accept it;
// the others refuse it as an unknown parameter.
const InsecureParam = "insecure"

// IsLoopback reports whether host, a host name or an IP address without
// port or brackets, is this machine: "localhost" (in any case, with or
// without a final dot), an address in 127.0.0.0/8, or ::1 (also as an
// IPv4-mapped address). Nothing is resolved: any other name, even one
// that resolves to a loopback address, is not loopback, as DNS or
// /etc/hosts could change what it means.
func IsLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// ParseInsecure reads u's InsecureParam: absent or "false" is false,
// "true" is true, anything else an ErrInvalidArgument error.
func ParseInsecure(u *url.URL) (bool, error) {
	switch v := u.Query().Get(InsecureParam); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, invalid("OpenStore", "%s is true or false, not %q", InsecureParam, truncate(v))
	}
}

// Cleartext describes a connection an opener is about to configure that
// would carry secrets (values, tokens, signed requests) without TLS or
// without authenticating the server. Check allows it only to a loopback
// host, or when the operator accepted it explicitly, and then logs a
// warning every time the store is opened.
type Cleartext struct {
	// Scheme is the adapter's URL scheme, for messages.
	Scheme string
	// Host is where the connection would go: a name or an address,
	// without port or brackets (url.URL.Hostname).
	Host string
	// Risk says what would cross the network unprotected, as a clause:
	// "the endpoint is plain http: secret values and AWS credentials'
	// session tokens would be readable on the network".
	Risk string
	// Allow says how the operator accepts the risk: "add insecure=true
	// to the URL".
	Allow string
	// Insecure is whether the operator accepted it.
	Insecure bool
}

// Check returns nil for a loopback host; for another host it returns an
// ErrInvalidArgument error naming the risk and how to accept it, unless
// c.Insecure is set, in which case it logs a warning on ctx's logger
// (see WithLogger) and returns nil. It sends nothing.
func (c Cleartext) Check(ctx context.Context) error {
	if IsLoopback(c.Host) {
		return nil
	}
	if !c.Insecure {
		return &Error{Op: "OpenStore", Kind: ErrInvalidArgument, msg: fmt.Sprintf(
			"%s: %s, and %q is not a loopback host (localhost, 127.0.0.0/8, ::1); %s to accept this",
			c.Scheme, c.Risk, truncate(c.Host), c.Allow)}
	}
	Logger(ctx).WarnContext(ctx, "secret store connection is not protected: accepted by the insecure switch",
		"scheme", c.Scheme, "host", c.Host, "risk", c.Risk)
	return nil
}
