package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Endpoint parses raw, the base URL of a BI API, and applies the rule for
// where a credential may be sent: https anywhere; plain http only to a
// loopback host, or anywhere when insecure is set, which logs a warning
// naming the host. raw must be an absolute URL with a host and nothing
// after the path.
func Endpoint(raw string, insecure bool, log *slog.Logger) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("the endpoint is not a URL")
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("the endpoint %q must be scheme://host[:port][/path] with no user, query or fragment", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			if !insecure {
				return nil, fmt.Errorf("the endpoint %s is plain http: credentials go only over https, or to a loopback host, unless insecure=true", u.Host)
			}
			log.Warn("push: sending BI API credentials over plain http (insecure=true)", "host", u.Host)
		}
	default:
		return nil, fmt.Errorf("the endpoint's scheme %q is not https", u.Scheme)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// IsLoopback reports whether host names this machine: "localhost" or a
// loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NoRedirects returns a copy of c that never follows a redirect: a
// session token in a custom header would follow one to another host, and
// a POST would be replayed as a GET. The redirect reaches the caller as a
// 3xx response.
func NoRedirects(c *http.Client) *http.Client {
	cp := *c
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}
