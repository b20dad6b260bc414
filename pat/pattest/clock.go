package pattest

import (
	"sync"
	"time"
)

// ManualClock is the emulator's sense of time. Token expiry, session
// validity and the 30-day visibility of expired tokens all follow it, so a
// test can expire a token by advancing the clock instead of waiting.
// It is safe for concurrent use, and its Now method lets it stand in as the
// clock of other components under test so that all of them agree.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock that reads t until moved.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
