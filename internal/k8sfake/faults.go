package k8sfake

import (
	"errors"
	"net/http"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/snowpat/snowpat/internal/fakefault"
)

// Applied is how a request that the server carried out fails: its answer
// is lost, replaced by a server error or a dropped connection, so that
// the client cannot tell it from a request that never took effect.
type Applied struct {
	// Drop closes the connection without an answer. client-go resends a
	// GET whose connection broke, never a write.
	Drop bool
	// Code is the HTTP status of the error answered when Drop is clear:
	// 500 when zero. The body is the Status the real server sends for it:
	// 500 is InternalError, or ServerTimeout with a Retry-After (what the
	// API server answers when etcd timed out on a write that may have
	// committed), 429 TooManyRequests, 503 ServiceUnavailable, 504
	// Timeout.
	Code int
	// RetryAfter, when not empty, is sent as the Retry-After header.
	// client-go resends a request answered 429 or 5xx only when the
	// answer carries a Retry-After of whole seconds, after waiting that
	// long. The real server sends a positive number ("2" for the etcd
	// timeout); "0" has client-go resend at once, so that tests do not
	// wait, and a value that is not a number is ignored by client-go.
	RetryAfter string
}

// faultKey names the requests a fault applies to.
type faultKey struct {
	verb, resource, namespace, name string
}

// FailAfterApply makes the next request of verb ("create", "update",
// "get") on the resource ("secrets", "leases") called name in namespace
// be carried out as usual, and then fail as a says instead of being
// answered, whatever its own outcome was: a resend that the server
// refuses (409 on the stale resourceVersion) is lost the same way, as it
// would be behind a failing load balancer. A create is matched by the
// name in its body; name "" matches every name, after the faults queued
// for the request's own name. Faults queue in order, one a request, so
// FailAfterApply three times fails the next three requests: one request
// and two of client-go's resends, say.
func (s *Server) FailAfterApply(verb, resource, namespace, name string, a Applied) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == nil {
		s.faults = map[faultKey][]Applied{}
	}
	k := faultKey{verb, resource, namespace, name}
	s.faults[k] = append(s.faults[k], a)
}

// ClearFaults drops every fault FailAfterApply queued that no request has
// taken, so that a test can arm faults for one write and be sure none is
// left for the next.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

// takeFault takes the fault queued for a request, its own name's first.
func (s *Server) takeFault(req Request, name string) (Applied, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range []string{name, ""} {
		k := faultKey{req.Verb, req.Resource, req.Namespace, n}
		if q := s.faults[k]; len(q) > 0 {
			s.faults[k] = q[1:]
			return q[0], true
		}
	}
	return Applied{}, false
}

// answer fails a request that was carried out, as a says.
func (a Applied) answer(w http.ResponseWriter, r *http.Request, res *resource, req Request, name string) {
	if a.Drop {
		fakefault.HangUp(w)
		return
	}
	if a.RetryAfter != "" {
		w.Header().Set("Retry-After", a.RetryAfter)
	}
	writeErr(w, r, a.status(res, req.Verb, name))
}

// status is the error the real server answers with a's code.
func (a Applied) status(res *resource, verb, name string) *apierrors.StatusError {
	code := a.Code
	if code == 0 {
		code = http.StatusInternalServerError
	}
	seconds, _ := strconv.Atoi(a.RetryAfter)
	gr := res.groupResource()
	const lost = "the request was carried out and its answer lost (k8sfake)"
	switch code {
	case http.StatusInternalServerError:
		if a.RetryAfter != "" {
			return apierrors.NewServerTimeout(gr, verb, seconds)
		}
		return apierrors.NewInternalError(errors.New(lost))
	case http.StatusTooManyRequests:
		return apierrors.NewTooManyRequests(lost, seconds)
	case http.StatusGatewayTimeout:
		return apierrors.NewTimeoutError(lost, seconds)
	}
	// 503 and any other code: the reason client-go itself gives the code.
	return apierrors.NewGenericServerResponse(code, verb, gr, name, lost, seconds, false)
}
