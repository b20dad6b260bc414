package secrets_test

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// spy is a driver that records calls and answers with canned results, so
// the Store's own behaviour (validation, error mapping, close) can be
// checked apart from any backend.
type spy struct {
	mu       sync.Mutex
	calls    []string
	err      error            // returned by every operation when set
	code     driver.ErrorCode // what ErrorCode says about any error
	id       string           // what Put returns
	version  *driver.Version
	list     []*driver.VersionInfo
	errorAs  func(err error, i any) bool
	closeErr error
	lastReq  *driver.PutRequest
	lastPre  driver.Precondition
}

// native is a backend error type that ErrorAs and errors.As should reach.
type native struct{ status int }

func (n *native) Error() string { return "native backend error" }

func (s *spy) record(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, name)
}

func (s *spy) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func (s *spy) Get(_ context.Context, sel driver.Selector) (*driver.Version, error) {
	s.record("Get")
	if s.err != nil {
		return nil, s.err
	}
	if s.version != nil {
		return s.version, nil
	}
	return &driver.Version{VersionInfo: driver.VersionInfo{ID: "1", Stage: sel.Stage, Enabled: true, Created: time.Unix(1, 0)}, Value: []byte("v")}, nil
}

func (s *spy) Put(_ context.Context, req *driver.PutRequest) (string, error) {
	s.record("Put")
	s.lastReq = req
	return s.id, s.err
}

func (s *spy) Promote(context.Context, string) error { s.record("Promote"); return s.err }
func (s *spy) Retire(context.Context, string) error  { s.record("Retire"); return s.err }
func (s *spy) Delete(context.Context) error          { s.record("Delete"); return s.err }

func (s *spy) List(context.Context) ([]*driver.VersionInfo, error) {
	s.record("List")
	return s.list, s.err
}

func (s *spy) ErrorCode(error) driver.ErrorCode { return s.code }

func (s *spy) As(i any) bool {
	s.record("As")
	if p, ok := i.(**spy); ok {
		*p = s
		return true
	}
	return false
}

func (s *spy) ErrorAs(err error, i any) bool {
	s.record("ErrorAs")
	if s.errorAs != nil {
		return s.errorAs(err, i)
	}
	return errors.As(err, i)
}

func (s *spy) Close() error { s.record("Close"); return s.closeErr }

// casSpy adds compare-and-swap.
type casSpy struct{ *spy }

func (c casSpy) PutIf(_ context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	c.record("PutIf")
	c.lastReq, c.lastPre = req, pre
	return c.id, c.err
}

func (c casSpy) PromoteIf(_ context.Context, _ string, pre driver.Precondition) error {
	c.record("PromoteIf")
	c.lastPre = pre
	return c.err
}
