package awsfake

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
)

// faults holds the injected behaviour, per operation name: the shared
// machinery, and the IAM refusals only this fake models.
type faults struct {
	fakefault.Injector[*APIError]

	mu     sync.Mutex      // guards denied, apart from the Injector's own lock
	denied map[string]bool // secret names IAM refuses
}

// Gate is a held call: Arrived is closed when the call reaches the
// server, and the call proceeds when Release is called (or when its client
// gives up on it). It is the type every fake shares.
type Gate = fakefault.Gate

// FailNext makes the next call of op fail with e, after the call has been
// counted. Several calls queue in order, so FailNext twice fails the next
// two calls. op is an operation name such as "PutSecretValue".
func (s *Server) FailNext(op string, e *APIError) { s.f.FailNext(op, e) }

// SetLatency delays every later call of op by d before it is served; op ""
// delays every operation. A call whose client gives up stops waiting.
// Zero removes the delay.
func (s *Server) SetLatency(op string, d time.Duration) { s.f.SetLatency(op, d) }

// Hold parks the next call of op on the returned Gate until the test
// releases it. Tests use it to act while a request is in flight (cancel
// its context, say) without sleeping.
func (s *Server) Hold(op string) *Gate { return s.f.Hold(op) }

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

// Applied is how a call that was carried out fails: with a server error
// (Code, an HTTP status; 500 InternalServiceError when zero) or a dropped
// connection (Drop).
type Applied = fakefault.Applied

// FailAfterApply makes the next call of op that names the secret called
// secret (by name or ARN; "" for any secret) take effect as usual and
// then fail as a says instead of answering: the lost answer the SDK's
// retryer resends. Several calls queue in order; a call takes its
// secret's fault before one queued for any secret.
func (s *Server) FailAfterApply(op, secret string, a Applied) { s.f.FailAfterApply(op, secret, a) }

// ClearFaults drops the faults FailAfterApply queued that no call took.
func (s *Server) ClearFaults() { s.f.ClearApplied() }

// lostAnswer applies a fault FailAfterApply queued for a call that has
// been carried out, and reports whether it did: the call's own answer is
// then lost.
func (s *Server) lostAnswer(w http.ResponseWriter, op string, body []byte) bool {
	a, ok := s.f.TakeApplied(op, s.secretName(body))
	if ok {
		a.AnswerHTTP(w, func(status int) { writeError(w, serverError(status)) })
	}
	return ok
}

// Calls returns how many requests for op the server has received,
// including failed and faulted ones.
func (s *Server) Calls(op string) int { return s.f.Calls(op) }

// ResetCalls sets every counter back to zero.
func (s *Server) ResetCalls() { s.f.ResetCalls() }

// intercept counts a call of op and applies its faults. It returns the
// injected error, if any, or RequestCanceled if the client went away
// while the call was held or delayed.
func (f *faults) intercept(ctx context.Context, op string) *APIError {
	injected, _, err := f.Intercept(ctx, op)
	if err != nil {
		return clientError("RequestCanceled", "the client went away")
	}
	return injected
}
