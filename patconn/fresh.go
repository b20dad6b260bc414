package patconn

import (
	"sync"
	"time"

	"k8s.io/utils/clock"
)

// The fast path of Get reads no clock: a clock read on the machines we
// measure costs more than the rest of a cached read together (time.Now is
// 40–80 ns where the read is a few). Instead an entry carries a fresh flag
// that only the checks below raise and lower, and Get answers from an
// entry with the flag up without asking the time.
//
// freshMargin is how long before the entry's refresh-ahead point the flag
// comes down: the lateness of a timer the fast path tolerates. Go's
// runtime runs a due timer at its next scheduling point, and with async
// preemption every 10 ms a goroutine that calls Get gives it one; a second
// is two orders of magnitude beyond that, and RefreshAhead (a fifth of the
// TTL by default) lies between the refresh-ahead point and the TTL.
//
// freshCheck is the longest a check waits before reading the wall clock
// again. Go's timers count CLOCK_MONOTONIC, which on Linux stops while
// the machine is suspended, so a single timer armed for the whole fresh
// window would fire that much later than the wall clock says after a
// resume (golang/go#24595). A check at least every freshCheck bounds how
// long the fast path can outlive a forward jump of the wall clock
// (resume, an NTP step) to freshCheck, and costs one timer callback per
// second per Reader, only while its entry is fresh: a Reader nobody reads
// lets its entry go stale and arms nothing more.
const (
	freshMargin = time.Second
	freshCheck  = time.Second
)

// freshness raises an entry's fresh flag when it is published and keeps a
// chain of timer checks that lower it when the wall clock comes within
// freshMargin of the entry's refresh-ahead point. It holds at most one
// armed timer, for the current entry; publishing another entry, or Close,
// stops it.
//
// It works only on a clock whose timers run their function in a goroutine
// of their own and whose Now is the wall clock: the real clock. With any
// other clock (tests' fake clocks, which run AfterFunc callbacks in Step
// or in a goroutine of their own, so a read right after a Step would race
// the callback) the flag never goes up and every Get reads the injected
// clock, exactly as before this fast path existed.
type freshness struct {
	clk     clock.PassiveClock
	after   func(time.Duration, func()) clock.Timer // nil: the fast path is off
	mu      sync.Mutex
	closed  bool
	cur     *entry      // the entry the timer checks; nil when none
	timer   clock.Timer // the armed check for cur, or nil
	running sync.WaitGroup

	// checkHook, when set (by tests, before use), runs at the start of
	// every check, counted: Close waits for it.
	checkHook func()
}

func (f *freshness) init(c clock.Clock) {
	f.clk = c
	switch rc := c.(type) {
	case clock.RealClock:
		f.after = rc.AfterFunc
	case *clock.RealClock:
		f.after = rc.AfterFunc
	}
}

// trust turns the fast path on with c's timers, for tests that run the
// real timer machinery on a clock of their own (inside a synctest bubble).
// c.AfterFunc must run its function in a goroutine of its own, as
// time.AfterFunc does.
func (f *freshness) trust(c clock.WithDelayedExecution) { f.after = c.AfterFunc }

// publish makes e the entry the checks follow, stopping the check of the
// one it replaces and lowering that one's flag. e's flag goes up when the
// fast path is on, the Reader is open and e has a fresh window left. e may
// be nil. Its caller publishes e in Reader.cur afterwards.
func (f *freshness) publish(e *entry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stopLocked()
	if e == nil || f.after == nil || f.closed {
		return
	}
	if f.armLocked(e, f.clk.Now().UnixNano()) {
		e.fresh.Store(true)
	}
}

// armLocked arms a check of e at the earlier of freshCheck from now and
// the end of its fresh window; it returns false, arming nothing, when the
// window has ended.
func (f *freshness) armLocked(e *entry, now int64) bool {
	left := time.Duration(e.freshUntil - now)
	if left <= 0 {
		return false
	}
	f.cur = e
	f.running.Add(1)
	f.timer = f.after(min(left, freshCheck), func() { f.check(e) })
	return true
}

// check is the timer's function: it lowers e's flag once the wall clock
// reaches the end of its fresh window, and otherwise arms the next check.
func (f *freshness) check(e *entry) {
	defer f.running.Done()
	if f.checkHook != nil {
		f.checkHook()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cur != e || f.closed {
		return // replaced or closed: whoever did it lowered the flag
	}
	f.timer = nil
	if !f.armLocked(e, f.clk.Now().UnixNano()) {
		e.fresh.Store(false)
		f.cur = nil
	}
}

// stopLocked lowers the current entry's flag and stops its check.
func (f *freshness) stopLocked() {
	if f.cur != nil {
		f.cur.fresh.Store(false)
		f.cur = nil
	}
	if f.timer != nil {
		if f.timer.Stop() {
			f.running.Done() // the check will never run
		}
		f.timer = nil
	}
}

// close lowers the flag for good, stops the check and waits for a check
// already running, so that after it the Reader arms no timer and runs no
// callback. Reads after Close read the clock.
func (f *freshness) close() {
	f.mu.Lock()
	f.closed = true
	f.stopLocked()
	f.mu.Unlock()
	f.running.Wait()
}
