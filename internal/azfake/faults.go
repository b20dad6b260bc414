package azfake

import (
	"sync"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
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

// faults holds the injected behaviour per operation name, and counts the
// challenges only this fake answers. An operation's latency adds to the
// one set for "", so New sets SumLatency.
type faults struct {
	fakefault.Injector[fault]

	mu         sync.Mutex // guards challenges, apart from the Injector's own lock
	challenges int
}

// Gate is a held call: Arrived is closed when the call reaches the server,
// and the call proceeds when Release is called (or its client gives up).
// It is the type every fake shares.
type Gate = fakefault.Gate

// FailNext makes the next authenticated call of op answer with e instead of
// doing anything. Calls queue: FailNext twice fails the next two calls.
func (s *Server) FailNext(op string, e *APIError) { s.f.FailNext(op, fault{err: e}) }

// DropNext makes the next authenticated call of op take effect and then
// close the connection without a response, as a lost response does: the
// client cannot tell whether the call committed.
func (s *Server) DropNext(op string) { s.f.FailNext(op, fault{drop: true}) }

// SetLatency delays every later authenticated call of op by d; op "" delays
// every operation. A call whose client gives up stops waiting. Zero
// removes the delay.
func (s *Server) SetLatency(op string, d time.Duration) { s.f.SetLatency(op, d) }

// Hold parks the next authenticated call of op on the returned Gate until
// the test releases it, so that a test can act while a request is in
// flight without sleeping.
func (s *Server) Hold(op string) *Gate { return s.f.Hold(op) }

// Calls returns how many authenticated requests for op the server has
// received, faulted ones included.
func (s *Server) Calls(op string) int { return s.f.Calls(op) }

// Challenges returns how many requests arrived without a token and were
// answered with the 401 challenge.
func (s *Server) Challenges() int {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	return s.f.challenges
}

func (f *faults) challenged() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.challenges++
}
