package patconn

import (
	"log/slog"
	"time"

	"k8s.io/utils/clock"
)

// Options tune a Reader or Connector. The zero value is usable.
type Options struct {
	// TTL is how long a read token is used without asking the store again;
	// default 1 minute. A background refresh that the store does not
	// answer within the TTL is abandoned.
	TTL time.Duration
	// RefreshAhead starts a background refresh this long before the TTL
	// runs out; default a fifth of the TTL.
	RefreshAhead time.Duration
	// MaxStale is how long after the TTL runs out the last good token is
	// still handed out while the store cannot be read (unavailable,
	// timing out, returning something undecodable); default 1 hour, and
	// a negative value means not at all. After it, reads fail with
	// ErrStale. A store that answers "not found" or "permission denied"
	// ends the token at once: the secret was deleted or access revoked.
	//
	// A consumer can therefore use a replaced token for up to TTL +
	// MaxStale: the policy's ConsumerCacheTTL should cover both.
	MaxStale time.Duration
	// User is the Snowflake user the token must belong to. A stored
	// token that records another user (the SnowflakePat JSON format does;
	// the raw format records none) is refused with ErrUserMismatch. The
	// comparison ignores case, as Snowflake's login names do. A
	// Connector sets it from Config.User; a Reader used alone checks
	// nothing unless it is set.
	User string
	// Clock defaults to the system clock (k8s.io/utils/clock.RealClock);
	// tests pass a k8s.io/utils/clock/testing.FakeClock, the same one the
	// emulator (pattest.WithClock) and the policy engine run on, to move
	// them all together. On the real clock most reads of a cached token
	// do not read the time (see "The cached read and the clock" in the
	// package documentation); on any other clock every Get reads it. A
	// Reader arms a timer per background refresh on this clock.
	Clock clock.Clock
	// OnError is called with every failed refresh (the last good token is
	// kept while MaxStale allows). It must not block.
	OnError func(error)
	// Logger, when set, logs failed refreshes at Warn (and plain-HTTP
	// logins InsecureHTTP lets through).
	Logger *slog.Logger
	// InsecureHTTP lets a Connector log in over Protocol "http" to a host
	// that is not loopback, sending the token in clear; by default that is
	// refused with pat.ErrInsecureTransport. Each such login is logged at
	// Warn.
	InsecureHTTP bool
}

// DefaultMaxStale is MaxStale's default.
const DefaultMaxStale = time.Hour

func (o Options) withDefaults() Options {
	if o.TTL <= 0 {
		o.TTL = time.Minute
	}
	if o.RefreshAhead <= 0 || o.RefreshAhead >= o.TTL {
		o.RefreshAhead = o.TTL / 5
	}
	switch {
	case o.MaxStale == 0:
		o.MaxStale = DefaultMaxStale
	case o.MaxStale < 0:
		o.MaxStale = 0
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	return o
}
