package tableaufake

import (
	"github.com/snowpat/snowpat/internal/fakefault"
)

// The operation names FailNext, DropNext, FailAfterNext, Hold and Calls
// take: the REST API reference's names for the methods.
const (
	OpServerInfo                 = "ServerInfo"
	OpSignIn                     = "SignIn"
	OpSignOut                    = "SignOut"
	OpQueryDatasources           = "QueryDatasources"
	OpQueryDatasource            = "QueryDatasource"
	OpQueryDatasourceConnections = "QueryDatasourceConnections"
	OpUpdateDatasourceConnection = "UpdateDatasourceConnection"
	OpUpdateDatasourceNow        = "UpdateDatasourceNow"
	OpQueryWorkbooks             = "QueryWorkbooks"
	OpQueryWorkbook              = "QueryWorkbook"
	OpQueryWorkbookConnections   = "QueryWorkbookConnections"
	OpUpdateWorkbookConnection   = "UpdateWorkbookConnection"
	OpUpdateWorkbookNow          = "UpdateWorkbookNow"
	OpQueryJob                   = "QueryJob"
)

// fault is what happens to one injected call: an error instead of the
// call, the call done and its answer never sent, or the call done and an
// error sent instead of its answer.
type fault struct {
	err   *APIError
	drop  bool
	after bool
}

type faults struct{ fakefault.Injector[fault] }

// Gate is a held call, as in every fake.
type Gate = fakefault.Gate

// FailNext makes the next call of op answer with e and do nothing.
// Calls queue: FailNext twice fails the next two calls.
func (s *Server) FailNext(op string, e *APIError) { s.f.FailNext(op, fault{err: e}) }

// DropNext makes the next call of op take effect and then close the
// connection without an answer, as a lost response does.
func (s *Server) DropNext(op string) { s.f.FailNext(op, fault{drop: true}) }

// FailAfterNext makes the next call of op take effect and then answer
// with e, as a server that failed after committing does.
func (s *Server) FailAfterNext(op string, e *APIError) {
	s.f.FailNext(op, fault{err: e, after: true})
}

// Hold parks the next call of op until the test releases the Gate.
func (s *Server) Hold(op string) *Gate { return s.f.Hold(op) }

// Calls returns how many requests for op the server has received,
// faulted ones included.
func (s *Server) Calls(op string) int { return s.f.Calls(op) }
