package pattest

import (
	"context"
	"sync"
	"time"
)

// ManualClock is the emulator's sense of time. Token expiry, session
// validity and the 30-day visibility of expired tokens all follow it, so a
// test can expire a token by advancing the clock instead of waiting.
//
// It is also a complete fake clock for the code under test: After returns
// a channel that fires when Advance or Set moves the clock past the
// deadline, and BlockUntil lets a test wait until the code is parked on
// such a channel, so that a loop driven by the clock can be stepped without
// real sleeps. It is safe for concurrent use.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []*waiter
	changed chan struct{} // closed and replaced whenever waiters change
}

type waiter struct {
	at     time.Time
	ch     chan time.Time
	period time.Duration // for Tick: re-armed this much later after each firing
}

// NewManualClock returns a clock that reads t until moved.
func NewManualClock(t time.Time) *ManualClock {
	return &ManualClock{now: t, changed: make(chan struct{})}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and fires every After channel whose
// deadline has been reached.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.setLocked(c.now.Add(d))
	c.mu.Unlock()
}

// Set moves the clock to t, firing channels whose deadline has been reached.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.setLocked(t)
	c.mu.Unlock()
}

func (c *ManualClock) setLocked(t time.Time) {
	c.now = t
	kept := c.waiters[:0]
	fired := false
	for _, w := range c.waiters {
		if !t.Before(w.at) {
			select {
			case w.ch <- t:
			default: // a ticker whose reader fell behind
			}
			fired = true
			if w.period > 0 {
				for !t.Before(w.at) {
					w.at = w.at.Add(w.period)
				}
				kept = append(kept, w)
			}
			continue
		}
		kept = append(kept, w)
	}
	for i := len(kept); i < len(c.waiters); i++ {
		c.waiters[i] = nil
	}
	c.waiters = kept
	if fired {
		c.notifyLocked()
	}
}

func (c *ManualClock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// After returns a channel that receives the clock's time once the clock
// has been moved to or past now+d. A d of zero or less fires at once.
func (c *ManualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, &waiter{at: c.now.Add(d), ch: ch})
	c.notifyLocked()
	return ch
}

// Waiters is the number of After channels that have not fired yet.
func (c *ManualClock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// NextDeadline is the earliest deadline of an unfired After channel, and
// false if there is none.
func (c *ManualClock) NextDeadline() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var min time.Time
	for _, w := range c.waiters {
		if min.IsZero() || w.at.Before(min) {
			min = w.at
		}
	}
	return min, !min.IsZero()
}

// BlockUntil waits until at least n After channels are pending, or ctx
// ends. Note that a channel abandoned by its reader still counts until it
// fires.
func (c *ManualClock) BlockUntil(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		if len(c.waiters) >= n {
			c.mu.Unlock()
			return nil
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
