package azfake

import (
	"net/http"
	"sync"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
)

// The operation names that FailNext, FailAfterApply, DropNext, SetLatency,
// Hold and Calls
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

// faults holds the injected behaviour per operation name, and counts the
// challenges only this fake answers. An operation's latency adds to the
// one set for "", so New sets SumLatency.
type faults struct {
	fakefault.Injector[*APIError]

	mu         sync.Mutex // guards challenges, apart from the Injector's own lock
	challenges int
}

// Gate is a held call: Arrived is closed when the call reaches the server,
// and the call proceeds when Release is called (or its client gives up).
// It is the type every fake shares.
type Gate = fakefault.Gate

// FailNext makes the next authenticated call of op answer with e instead of
// doing anything. Calls queue: FailNext twice fails the next two calls.
func (s *Server) FailNext(op string, e *APIError) { s.f.FailNext(op, e) }

// Applied is how a call that was carried out fails: with a server error
// (Code, an HTTP status; 500 when zero) or a dropped connection (Drop).
type Applied = fakefault.Applied

// FailAfterApply makes the next authenticated call of op on the secret
// called secret ("" for any secret) take effect and then fail as a says
// instead of answering: the lost answer azcore's retry policy resends.
// Several calls queue in order; a call takes its secret's fault before
// one queued for any secret.
func (s *Server) FailAfterApply(op, secret string, a Applied) {
	if secret != "" {
		secret = key(secret)
	}
	s.f.FailAfterApply(op, secret, a)
}

// DropNext makes the next authenticated call of op take effect and then
// close the connection without a response, as a lost response does: the
// client cannot tell whether the call committed.
func (s *Server) DropNext(op string) { s.FailAfterApply(op, "", Applied{Drop: true}) }

// ClearFaults drops the faults FailAfterApply and DropNext queued that no
// call took.
func (s *Server) ClearFaults() { s.f.ClearApplied() }

// lostAnswer applies a fault FailAfterApply queued for a call that has
// been carried out, and reports whether it did: the call's own answer is
// then lost.
func (s *Server) lostAnswer(w http.ResponseWriter, rt call) bool {
	a, ok := s.f.TakeApplied(rt.op, key(rt.name))
	if ok {
		a.AnswerHTTP(w, func(status int) { writeError(w, serverError(status)) })
	}
	return ok
}

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
