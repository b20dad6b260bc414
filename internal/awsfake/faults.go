package awsfake

import (
	"context"
	"sync"
	"time"
)

// faults holds the injected behaviour, per operation name. The empty name
// in latency applies to every operation.
type faults struct {
	mu      sync.Mutex
	next    map[string][]*APIError
	latency map[string]time.Duration
	holds   map[string][]*Gate
	all     []*Gate // every gate made, so that Close can release them
	calls   map[string]int
	denied  map[string]bool // secret names IAM refuses
}

// Gate is a held call: Arrived is closed when the call reaches the
// server, and the call proceeds when Release is called (or when its client
// gives up on it).
type Gate struct {
	arrived  chan struct{}
	released chan struct{}
	once     sync.Once
}

// Arrived is closed once the held call has reached the server.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Release lets the held call proceed. It may be called more than once.
func (g *Gate) Release() { g.once.Do(func() { close(g.released) }) }

// FailNext makes the next call of op fail with e, after the call has been
// counted. Several calls queue in order, so FailNext twice fails the next
// two calls. op is an operation name such as "PutSecretValue".
func (s *Server) FailNext(op string, e *APIError) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.next == nil {
		s.f.next = map[string][]*APIError{}
	}
	s.f.next[op] = append(s.f.next[op], e)
}

// SetLatency delays every later call of op by d before it is served; op ""
// delays every operation. A call whose client gives up stops waiting.
// Zero removes the delay.
func (s *Server) SetLatency(op string, d time.Duration) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.latency == nil {
		s.f.latency = map[string]time.Duration{}
	}
	s.f.latency[op] = d
}

// Hold parks the next call of op on the returned Gate until the test
// releases it. Tests use it to act while a request is in flight (cancel
// its context, say) without sleeping.
func (s *Server) Hold(op string) *Gate {
	g := &Gate{arrived: make(chan struct{}), released: make(chan struct{})}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.holds == nil {
		s.f.holds = map[string][]*Gate{}
	}
	s.f.holds[op] = append(s.f.holds[op], g)
	s.f.all = append(s.f.all, g)
	return g
}

// Deny makes every request naming the secret called name (as SecretId
// or Name) fail with AccessDeniedException, as IAM does for credentials
// whose policy leaves the secret out.
func (s *Server) Deny(name string) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.denied == nil {
		s.f.denied = map[string]bool{}
	}
	s.f.denied[name] = true
}

// Allow undoes Deny.
func (s *Server) Allow(name string) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	delete(s.f.denied, name)
}

func (f *faults) isDenied(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.denied[name]
}

// Calls returns how many requests for op the server has received,
// including failed and faulted ones.
func (s *Server) Calls(op string) int {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.f.calls[op]
}

// ResetCalls sets every counter back to zero.
func (s *Server) ResetCalls() {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	clear(s.f.calls)
}

// intercept counts a call of op and applies its faults. It returns the
// injected error, if any, or the context's error if the client went away
// while the call was held or delayed.
func (f *faults) intercept(ctx context.Context, op string) *APIError {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
	var gate *Gate
	if q := f.holds[op]; len(q) > 0 {
		gate, f.holds[op] = q[0], q[1:]
	}
	d := f.latency[op]
	if d == 0 {
		d = f.latency[""]
	}
	var injected *APIError
	if q := f.next[op]; len(q) > 0 {
		injected, f.next[op] = q[0], q[1:]
	}
	f.mu.Unlock()

	if gate != nil {
		close(gate.arrived)
		select {
		case <-gate.released:
		case <-ctx.Done():
			return clientError("RequestCanceled", "the client went away")
		}
	}
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return clientError("RequestCanceled", "the client went away")
		}
	}
	return injected
}
