package powerbifake

import "github.com/snowpat/snowpat/internal/fakefault"

// The operation names FailNext, DropNext, FailAfterNext, Hold and Calls
// take: the REST API reference's names.
const (
	OpGetDatasourcesInGroup    = "GetDatasourcesInGroup"
	OpGetGateway               = "GetGateway"
	OpUpdateDatasource         = "UpdateDatasource"
	OpRefreshDatasetInGroup    = "RefreshDatasetInGroup"
	OpGetRefreshHistoryInGroup = "GetRefreshHistoryInGroup"
)

type fault struct {
	err   *APIError
	drop  bool
	after bool
}

type faults struct{ fakefault.Injector[fault] }

// Gate is a held call, as in every fake.
type Gate = fakefault.Gate

// FailNext makes the next call of op answer with e and do nothing.
func (s *Server) FailNext(op string, e *APIError) { s.f.FailNext(op, fault{err: e}) }

// DropNext makes the next call of op take effect and then close the
// connection without an answer, as a lost response does.
func (s *Server) DropNext(op string) { s.f.FailNext(op, fault{drop: true}) }

// FailAfterNext makes the next call of op take effect and then answer
// with e.
func (s *Server) FailAfterNext(op string, e *APIError) {
	s.f.FailNext(op, fault{err: e, after: true})
}

// FailFor makes the next n calls of op answer with e and do nothing: an
// outage, ended early by ClearFaults.
func (s *Server) FailFor(op string, n int, e *APIError) {
	for range n {
		s.FailNext(op, e)
	}
}

// ClearFaults drops the failures queued for op that no call has taken.
func (s *Server) ClearFaults(op string) { s.f.ClearNext(op) }

// Hold parks the next call of op until the test releases the Gate.
func (s *Server) Hold(op string) *Gate { return s.f.Hold(op) }

// Calls returns how many requests for op the server has received,
// faulted ones included (unauthenticated ones are not counted).
func (s *Server) Calls(op string) int { return s.f.Calls(op) }
