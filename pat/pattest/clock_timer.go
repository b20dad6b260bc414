package pattest

import (
	"time"

	"k8s.io/utils/clock"
)

// ManualClock implements k8s.io/utils/clock's Clock, so that one fake
// clock drives the emulator and any code written against that interface.
var _ clock.Clock = (*ManualClock)(nil)

// Since returns the time elapsed since t on the clock.
func (c *ManualClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Sleep blocks until the clock has been moved d forward.
func (c *ManualClock) Sleep(d time.Duration) { <-c.After(d) }

// NewTimer returns a timer that fires once the clock has been moved to or
// past now+d. Unlike a channel from After, a stopped timer stops counting
// as a waiter, so abandoned waits do not pile up.
func (c *ManualClock) NewTimer(d time.Duration) clock.Timer {
	t := &manualTimer{c: c, ch: make(chan time.Time, 1)}
	t.Reset(d)
	return t
}

// Tick returns a channel that receives the clock's time every d of clock
// movement; a receiver that falls behind misses ticks, as with time.Tick.
func (c *ManualClock) Tick(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waiters = append(c.waiters, &waiter{at: c.now.Add(d), ch: ch, period: d})
	c.notifyLocked()
	return ch
}

type manualTimer struct {
	c  *ManualClock
	ch chan time.Time
	w  *waiter
}

func (t *manualTimer) C() <-chan time.Time { return t.ch }

// Stop prevents the timer from firing and reports whether it was pending.
func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.c.removeLocked(t.w)
}

// Reset re-arms the timer to fire d after the clock's current time and
// reports whether it was pending.
func (t *manualTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.w != nil && t.c.removeLocked(t.w)
	if d <= 0 {
		select {
		case t.ch <- t.c.now:
		default:
		}
		t.w = nil
		return was
	}
	t.w = &waiter{at: t.c.now.Add(d), ch: t.ch}
	t.c.waiters = append(t.c.waiters, t.w)
	t.c.notifyLocked()
	return was
}

// removeLocked takes w off the waiting list and reports whether it was on it.
func (c *ManualClock) removeLocked(w *waiter) bool {
	for i, x := range c.waiters {
		if x == w {
			c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
			c.notifyLocked()
			return true
		}
	}
	return false
}
