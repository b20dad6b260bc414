package azfake

import (
	"context"
	"sync"
	"time"
)

// The operation names that FailNext, DropNext, SetLatency, Hold and Calls
// take: the REST API's names for them.
const (
	OpSetSecret            = "SetSecret"
	OpGetSecret            = "GetSecret"
	OpUpdateSecret         = "UpdateSecret"
	OpGetSecretVersions    = "GetSecretVersions"
	OpDeleteSecret         = "DeleteSecret"
	OpGetDeletedSecret     = "GetDeletedSecret"
	OpPurgeDeletedSecret   = "PurgeDeletedSecret"
	OpRecoverDeletedSecret = "RecoverDeletedSecret"
)

// fault is what happens to one injected call: an error response, or the
// operation done and its response never sent.
type fault struct {
	err  *APIError
	drop bool
}

// faults holds the injected behaviour per operation name. The empty name
// in latency applies to every operation.
type faults struct {
	mu         sync.Mutex
	next       map[string][]fault
	latency    map[string]time.Duration
	holds      map[string][]*Gate
	all        []*Gate
	calls      map[string]int
	challenges int
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

// FailNext makes the next authenticated call of op answer with e instead of
// doing anything. Calls queue: FailNext twice fails the next two calls.
func (s *Server) FailNext(op string, e *APIError) { s.f.push(op, fault{err: e}) }

// DropNext makes the next authenticated call of op take effect and then
// close the connection without a response, as a lost response does: the
// client cannot tell whether the call committed.
func (s *Server) DropNext(op string) { s.f.push(op, fault{drop: true}) }

func (f *faults) push(op string, x fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.next == nil {
		f.next = map[string][]fault{}
	}
	f.next[op] = append(f.next[op], x)
}

// SetLatency delays every later authenticated call of op by d; op "" delays
// every operation. A call whose client gives up stops waiting. Zero
// removes the delay.
func (s *Server) SetLatency(op string, d time.Duration) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.f.latency == nil {
		s.f.latency = map[string]time.Duration{}
	}
	s.f.latency[op] = d
}

// Hold parks the next authenticated call of op on the returned Gate until
// the test releases it, so that a test can act while a request is in
// flight without sleeping.
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

// Calls returns how many authenticated requests for op the server has
// received, faulted ones included.
func (s *Server) Calls(op string) int {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.f.calls[op]
}

// Challenges returns how many requests arrived without a token and were
// answered with the 401 challenge.
func (s *Server) Challenges() int {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.f.challenges
}

// enter counts a call of op and applies its holds and latency; it returns
// the call's injected fault, if any, or ctx's error if the client gave up
// while waiting.
func (f *faults) enter(ctx context.Context, op string) (fault, bool, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
	var gate *Gate
	if gs := f.holds[op]; len(gs) > 0 {
		gate, f.holds[op] = gs[0], gs[1:]
	}
	d := f.latency[op] + f.latency[""]
	var x fault
	var ok bool
	if q := f.next[op]; len(q) > 0 {
		x, f.next[op], ok = q[0], q[1:], true
	}
	f.mu.Unlock()

	if gate != nil {
		close(gate.arrived)
		select {
		case <-gate.released:
		case <-ctx.Done():
			return fault{}, false, ctx.Err()
		}
	}
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return fault{}, false, ctx.Err()
		}
	}
	return x, ok, nil
}

func (f *faults) challenged() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.challenges++
}

// releaseAll lets every held call go, so that Close cannot hang on one.
func (f *faults) releaseAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range f.all {
		g.Release()
	}
}
