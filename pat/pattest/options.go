package pattest

import (
	"time"

	"k8s.io/utils/clock"
)

// Option configures a Server.
type Option func(*options)

type options struct {
	account         string
	clock           clock.PassiveClock
	sessionValidity time.Duration
	masterValidity  time.Duration
	legacyShow      bool
}

func defaultOptions() options {
	return options{
		account:         "SNOWPAT_TEST",
		sessionValidity: time.Hour,
	}
}

// WithAccount names the emulated account (default SNOWPAT_TEST).
func WithAccount(name string) Option { return func(o *options) { o.account = name } }

// WithClock makes the server keep time by c — any k8s.io/utils/clock
// PassiveClock, usually the *testingclock.FakeClock the code under test
// runs on too — so that one clock drives the emulator and the code together
// and tests move time instead of waiting. By default the server makes its
// own FakeClock, starting at the real time when it starts.
func WithClock(c clock.PassiveClock) Option { return func(o *options) { o.clock = c } }

// WithSessionValidity sets how long session tokens and master tokens stay
// valid on the server's clock. A session token past its validity is answered
// with 390112, which gosnowflake renews with the master token; a master
// token past its validity is answered with 390114. The defaults are one
// hour for session tokens and no expiry for master tokens, so that tests
// which advance the clock by months keep their pooled connections.
func WithSessionValidity(session, master time.Duration) Option {
	return func(o *options) { o.sessionValidity, o.masterValidity = session, master }
}

// WithLegacyShowColumns makes SHOW USER PROGRAMMATIC ACCESS TOKENS use the
// column set one of Snowflake's reference pages documents: the ninth column
// named mins_to_bypass_required_network_policy and no rotated_to. Clients
// that match columns by name work with both.
func WithLegacyShowColumns() Option { return func(o *options) { o.legacyShow = true } }
