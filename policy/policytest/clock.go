package policytest

import (
	"time"

	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
)

// instantWaits reads the world's clock, but its timers fire at once: an
// engine's backoff between attempts does not wait for a test to move time.
type instantWaits struct{ *testingclock.FakeClock }

func (c instantWaits) NewTimer(time.Duration) clock.Timer   { return firedTimer(c.Now()) }
func (c instantWaits) After(time.Duration) <-chan time.Time { return firedTimer(c.Now()).C() }

// InstantWaits is clk with timers that fire at once: give it to an engine
// or runner made outside a World, so that its waits do not need the test
// to step the clock. Its Now is clk's.
func InstantWaits(clk *testingclock.FakeClock) clock.Clock { return instantWaits{clk} }

// firedTimer is a timer that has fired.
type firedTimer time.Time

func (f firedTimer) C() <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- time.Time(f)
	return ch
}
func (firedTimer) Stop() bool               { return false }
func (firedTimer) Reset(time.Duration) bool { return false }
