package pat

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/snowflakedb/gosnowflake"
)

// ErrInsecureTransport is returned for a login that would send credentials
// in clear: gosnowflake's Protocol "http" to a host that is not loopback.
// Snowflake itself only speaks HTTPS; plain HTTP is for local emulators and
// test proxies, and must be asked for (LoginOptions.InsecureHTTP).
var ErrInsecureTransport = errors.New("pat: credentials would travel in clear")

// LoginOptions are what a caller may allow a login beyond the secure
// default.
type LoginOptions struct {
	// InsecureHTTP allows Protocol "http" to a host that is not loopback,
	// sending the token (or an administrator's key-pair JWT, and new
	// secrets in the answers) in clear. Each login it lets through is
	// logged at Warn.
	InsecureHTTP bool
	// Logger receives that warning; nil means slog.Default().
	Logger *slog.Logger
}

// CheckTransport refuses a configuration that would send credentials in
// clear (ErrInsecureTransport) unless o allows it, logging a warning then.
// HTTPS, and plain HTTP to a loopback host (an emulator on this machine),
// pass.
func CheckTransport(cfg gosnowflake.Config, o LoginOptions) error {
	if !strings.EqualFold(cfg.Protocol, "http") {
		return nil
	}
	host := cfg.Host
	if host == "" {
		host = cfg.Account + ".snowflakecomputing.com"
	}
	if IsLoopback(host) {
		return nil
	}
	if !o.InsecureHTTP {
		return fmt.Errorf("%w: protocol http to %s; use https, or allow plain HTTP explicitly", ErrInsecureTransport, host)
	}
	l := o.Logger
	if l == nil {
		l = slog.Default()
	}
	l.Warn("snowpat: logging in to Snowflake over plain HTTP, as allowed: the credentials travel in clear", "host", host)
	return nil
}

// IsLoopback reports whether host (a name or an address, with or without
// brackets or a port) is this machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
