package policy

import "time"

// Clock is the engine's source of time. Evaluation is a pure function of
// the time it is given; the engine and the runner read the clock for that
// time and wait on it between steps. *pattest.ManualClock implements it,
// so one fake clock can drive the emulator and the engine in tests.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
