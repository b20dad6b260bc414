package push

import (
	cryptorand "crypto/rand"
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"time"
)

// Clock is the source of time for retries and for Test's polling: the
// subset of k8s.io/utils/clock's Clock that push needs, so that the
// engine's clock (a FakeClock in tests) drives destinations too.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// systemClock is the real clock.
type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Retry bounds the attempts of one BI API call: capped exponential
// backoff with full jitter, as the engine's, on throttling (429), server
// errors (5xx) and, for calls that are safe to repeat, lost connections.
// A Retry-After header the server sends is honoured when it is longer
// than the backoff, up to MaxRetryAfter; a longer one ends the attempts
// with ErrUnavailable, for the engine's next pass to pick up.
type Retry struct {
	// Attempts is the most tries per call; default 4.
	Attempts int
	// Initial and Max bound the wait between tries; defaults 1s and 30s.
	Initial, Max time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; default 2m.
	MaxRetryAfter time.Duration
}

// Options are what every destination shares: how it reaches the BI API,
// its clock and random source, its retries and its logger. The zero value
// (or a nil *Options) is the defaults.
type Options struct {
	// HTTPClient sends the BI API requests; nil is a client with a 60s
	// timeout. Its Transport decides the TLS roots, so tests pass the
	// client of an httptest TLS server. Redirects are never followed
	// whatever its CheckRedirect says: a session token must not follow a
	// redirect to another host.
	HTTPClient *http.Client
	// Clock drives retries and Test's polling; nil is the real clock.
	Clock Clock
	// Rand draws the backoff jitter; nil is a source seeded from
	// crypto/rand. It is used under a lock.
	Rand *rand.Rand
	// Retry bounds the attempts of each API call.
	Retry Retry
	// Logger receives warnings (an insecure endpoint) and one line per
	// connection pushed; nil discards them. No secret is ever logged.
	Logger *slog.Logger
	// Getenv reads the environment variables adapters take credentials
	// from; nil is os.Getenv.
	Getenv func(string) string
	// PollInterval is how long Test waits between reads of a refresh's
	// status; default 5s.
	PollInterval time.Duration
	// TestTimeout bounds how long Test waits for a refresh to finish
	// (the context's deadline may end it sooner); default 15m.
	TestTimeout time.Duration
}

// resolved returns a copy of o with every default filled in; a nil o is
// the defaults.
func (o *Options) resolved() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.HTTPClient == nil {
		r.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if r.Clock == nil {
		r.Clock = systemClock{}
	}
	if r.Rand == nil {
		var seed [16]byte
		_, _ = cryptorand.Read(seed[:])
		r.Rand = rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	}
	if r.Retry.Attempts <= 0 {
		r.Retry.Attempts = 4
	}
	if r.Retry.Initial <= 0 {
		r.Retry.Initial = time.Second
	}
	if r.Retry.Max <= 0 {
		r.Retry.Max = 30 * time.Second
	}
	if r.Retry.MaxRetryAfter <= 0 {
		r.Retry.MaxRetryAfter = 2 * time.Minute
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	if r.Getenv == nil {
		r.Getenv = os.Getenv
	}
	if r.PollInterval <= 0 {
		r.PollInterval = 5 * time.Second
	}
	if r.TestTimeout <= 0 {
		r.TestTimeout = 15 * time.Minute
	}
	return r
}
