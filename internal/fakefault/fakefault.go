package fakefault

import (
	"context"
	"sync"
	"time"
)

// Gate is a held call: Arrived is closed when the call reaches the
// server, and the call proceeds when Release is called (or when its
// client gives up on it).
type Gate struct {
	arrived  chan struct{}
	released chan struct{}
	once     sync.Once
}

// Arrived is closed once the held call has reached the server.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Release lets the held call proceed. It may be called more than once,
// since both a test and Close may release the same gate.
func (g *Gate) Release() { g.once.Do(func() { close(g.released) }) }

// Injector holds the injected behaviour of one fake, per operation name.
// E is what FailNext queues and Intercept hands back: whatever the fake
// needs to answer a faulted call. The zero Injector injects nothing; its
// methods are safe for concurrent use.
type Injector[E any] struct {
	// SumLatency, when set, delays a call by its operation's latency plus
	// the latency set for "". When clear, the operation's own latency, if
	// not zero, stands in place of the one for "". The fakes model their
	// services differently here and tests rely on each; set it before the
	// first call.
	SumLatency bool

	mu      sync.Mutex
	next    map[string][]E
	latency map[string]time.Duration
	holds   map[string][]*Gate
	all     []*Gate // every gate made, so that Close can release them
	calls   map[string]int
	applied map[string][]Applied // FailAfterApply's queues, by key
}

// FailNext queues e for the next call of op. Calls queue in order, so
// FailNext twice faults the next two calls.
func (in *Injector[E]) FailNext(op string, e E) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.next == nil {
		in.next = map[string][]E{}
	}
	in.next[op] = append(in.next[op], e)
}

// ClearNext drops the failures queued for op that no call has taken yet:
// an outage a test made with many FailNext calls ends.
func (in *Injector[E]) ClearNext(op string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.next, op)
}

// SetLatency delays every later call of op by d before Intercept returns;
// op "" delays every operation, combined with an operation's own latency
// as SumLatency says. Zero removes the delay.
func (in *Injector[E]) SetLatency(op string, d time.Duration) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.latency == nil {
		in.latency = map[string]time.Duration{}
	}
	in.latency[op] = d
}

// Hold parks the next call of op on the returned Gate until it is
// released. Holds queue in order, one call each.
func (in *Injector[E]) Hold(op string) *Gate {
	g := &Gate{arrived: make(chan struct{}), released: make(chan struct{})}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.holds == nil {
		in.holds = map[string][]*Gate{}
	}
	in.holds[op] = append(in.holds[op], g)
	in.all = append(in.all, g)
	return g
}

// Calls returns how many calls of op Intercept has seen, including the
// faulted ones and those whose client gave up: a test counts requests
// sent, not requests served.
func (in *Injector[E]) Calls(op string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.calls[op]
}

// ResetCalls sets every counter back to zero.
func (in *Injector[E]) ResetCalls() {
	in.mu.Lock()
	defer in.mu.Unlock()
	clear(in.calls)
}

// ReleaseAll releases every gate Hold has made so far, waiting or not.
// Holds not yet taken by a call stay queued, released: the call that
// takes one closes its Arrived and goes straight on.
func (in *Injector[E]) ReleaseAll() {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, g := range in.all {
		g.Release()
	}
}

// Close releases every gate, as ReleaseAll does, and drops the holds no
// call has taken yet, so that a fake shutting down never waits on a held
// call. A fake calls it before it stops serving.
func (in *Injector[E]) Close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, g := range in.all {
		g.Release()
	}
	in.holds = nil
}

// Intercept counts a call of op and applies its faults: it takes the
// call's hold and latency and waits for them, then returns the failure
// FailNext queued for it, with ok set, or ok clear when there is none.
// If ctx ends while the call waits it returns ctx's error instead, and
// the queued failure, already taken, is lost, as the call is.
func (in *Injector[E]) Intercept(ctx context.Context, op string) (e E, ok bool, err error) {
	in.mu.Lock()
	if in.calls == nil {
		in.calls = map[string]int{}
	}
	in.calls[op]++
	var gate *Gate
	if q := in.holds[op]; len(q) > 0 {
		gate, in.holds[op] = q[0], q[1:]
	}
	d := in.latency[op]
	switch {
	case in.SumLatency:
		d += in.latency[""]
	case d == 0:
		d = in.latency[""]
	}
	var injected E
	if q := in.next[op]; len(q) > 0 {
		injected, in.next[op], ok = q[0], q[1:], true
	}
	in.mu.Unlock()

	if gate != nil {
		close(gate.arrived)
		select {
		case <-gate.released:
		case <-ctx.Done():
			var zero E
			return zero, false, ctx.Err()
		}
	}
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			var zero E
			return zero, false, ctx.Err()
		}
	}
	return injected, ok, nil
}
