package policy_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
)

// parked waits, without sleeping, until at least n timers wait on c: the
// code under test has reached the point where it waits on the clock.
func parked(t *testing.T, c *testingclock.FakeClock, n int) {
	t.Helper()
	guard := time.Now().Add(30 * time.Second) // a stuck test, not a timing assertion
	for c.Waiters() < n {
		if time.Now().After(guard) {
			t.Fatalf("nothing waits on the clock")
		}
		runtime.Gosched()
	}
}

// deadlineClock is a FakeClock that remembers the deadline of the last
// timer made on it, so a test can move time exactly to it.
type deadlineClock struct {
	*testingclock.FakeClock
	mu   sync.Mutex
	last time.Time
}

func (c *deadlineClock) NewTimer(d time.Duration) clock.Timer {
	c.mu.Lock()
	c.last = c.Now().Add(d)
	c.mu.Unlock()
	return c.FakeClock.NewTimer(d)
}

func (c *deadlineClock) next() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
