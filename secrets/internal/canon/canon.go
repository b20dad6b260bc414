// Package canon spells the parts of a URL that secret identities hold
// (an endpoint, a server address, a vault's host) one way, so that two
// spellings of one server give one identity.
package canon

import (
	"net"
	"net/url"
	"path"
	"strings"
)

// Host returns u's host in lowercase, with its port unless the port is
// the scheme's default (443 for https, 80 for http), and an IPv6 address
// in brackets.
func Host(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if port == "" || scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// BaseURL returns u as scheme://host/path: the scheme in lowercase, Host,
// and the path cleaned and without a final slash; user info, query and
// fragment are dropped.
func BaseURL(u *url.URL) string {
	p := ""
	if u.Path != "" && u.Path != "/" {
		p = strings.TrimSuffix(path.Clean(u.Path), "/")
	}
	return (&url.URL{Scheme: strings.ToLower(u.Scheme), Host: Host(u), Path: p}).String()
}
