package gcpfake

import (
	"context"
	"path"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// faults holds the injected behaviour, per short method name. The empty
// name in latency applies to every method.
type faults struct {
	mu      sync.Mutex
	next    map[string][]error
	latency map[string]time.Duration
	holds   map[string][]*Gate
	all     []*Gate // every gate made, so that Close can release them
	calls   map[string]int
}

// Gate is a held call: Arrived is closed when the call reaches the server,
// and the call proceeds when Release is called (or its client gives up).
type Gate struct {
	arrived  chan struct{}
	released chan struct{}
	once     sync.Once
}

// Arrived is closed once the held call has reached the server.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Release lets the held call proceed. It may be called more than once.
func (g *Gate) Release() { g.once.Do(func() { close(g.released) }) }

// FailNext makes the next call of method fail with code and msg. Several
// calls queue in order. method is a short name such as
// "AccessSecretVersion".
func (s *Server) FailNext(method string, code codes.Code, msg string) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.next == nil {
		s.f.next = map[string][]error{}
	}
	s.f.next[method] = append(s.f.next[method], status.Error(code, msg))
}

// SetLatency delays every later call of method by d; method "" delays
// every method. A call whose client gives up stops waiting. Zero removes
// the delay.
func (s *Server) SetLatency(method string, d time.Duration) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.latency == nil {
		s.f.latency = map[string]time.Duration{}
	}
	s.f.latency[method] = d
}

// Hold parks the next call of method on the returned Gate until the test
// releases it, so that a test can act while a call is in flight without
// sleeping.
func (s *Server) Hold(method string) *Gate {
	g := &Gate{arrived: make(chan struct{}), released: make(chan struct{})}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.holds == nil {
		s.f.holds = map[string][]*Gate{}
	}
	s.f.holds[method] = append(s.f.holds[method], g)
	s.f.all = append(s.f.all, g)
	return g
}

// Calls returns how many calls of method the server has received,
// including failed and faulted ones.
func (s *Server) Calls(method string) int {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.f.calls[method]
}

// ResetCalls sets every counter back to zero.
func (s *Server) ResetCalls() {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	clear(s.f.calls)
}

func (f *faults) releaseAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.all {
		g.Release()
	}
	f.holds = nil
}

// interceptor counts each call and applies its faults before the method
// runs.
func (f *faults) interceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	method := path.Base(info.FullMethod)
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[method]++
	var gate *Gate
	if q := f.holds[method]; len(q) > 0 {
		gate, f.holds[method] = q[0], q[1:]
	}
	d := f.latency[method]
	if d == 0 {
		d = f.latency[""]
	}
	var injected error
	if q := f.next[method]; len(q) > 0 {
		injected, f.next[method] = q[0], q[1:]
	}
	f.mu.Unlock()

	if gate != nil {
		close(gate.arrived)
		select {
		case <-gate.released:
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	if injected != nil {
		return nil, injected
	}
	return h(ctx, req)
}
