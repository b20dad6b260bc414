package tableaufake

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Login is what a refresh logs in to Snowflake with: one connection's
// server address and what it holds.
type Login struct {
	// Content is the data source's or workbook's name, Connection the
	// connection's id.
	Content, Connection string
	Server, Port        string
	User, Password      string
}

// LoginFunc logs in to Snowflake as a refresh would. Tests wire it to
// pat.Verify against the pattest emulator, with the password as the
// token.
type LoginFunc func(ctx context.Context, l Login) error

// SetLogin sets the function refreshes log in with. Without one, every
// refresh fails.
func (s *Server) SetLogin(f LoginFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login = f
}

// SetJobPolls sets how many Query Job reads report a refresh job in
// progress before it reports its outcome (default 1).
func (s *Server) SetJobPolls(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobPolls = max(n, 0)
}

// ErrPasswordNotEmbedded is the refresh failure of a connection whose
// password is not embedded: a scheduled refresh has nobody to ask.
var ErrPasswordNotEmbedded = errors.New("tableaufake: the connection's password is not embedded")

// Refresh refreshes every data source and workbook with a Snowflake
// connection, on every site, as their schedules would: each logs in with
// what its connections hold. It returns the failures joined, each naming
// its content; nil when every dashboard refreshed.
func (s *Server) Refresh(ctx context.Context) error {
	var errs []error
	for _, id := range s.snowflakeContent() {
		if err := s.RefreshContent(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RefreshContent refreshes the content with the given id: every one of
// its Snowflake connections logs in with what it holds.
func (s *Server) RefreshContent(ctx context.Context, id string) error {
	s.mu.Lock()
	it := s.find(id)
	if it == nil {
		s.mu.Unlock()
		return fmt.Errorf("tableaufake: no content %s", id)
	}
	logins, login := s.logins(it), s.login
	s.mu.Unlock()
	return runLogins(ctx, login, logins)
}

func (s *Server) snowflakeContent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, st := range s.sites {
		for _, it := range st.content {
			if len(s.logins(it)) > 0 {
				ids = append(ids, it.id)
			}
		}
	}
	return ids
}

// logins are the Snowflake logins a refresh of it makes. The caller holds
// the lock.
func (s *Server) logins(it *item) []loginAttempt {
	var out []loginAttempt
	for _, c := range it.conns {
		if strings.EqualFold(c.Type, "snowflake") {
			out = append(out, loginAttempt{Login{Content: it.spec.Name, Connection: c.ID, Server: c.ServerAddress, Port: c.ServerPort, User: c.UserName, Password: c.Password}, c.EmbedPassword})
		}
	}
	return out
}

type loginAttempt struct {
	Login
	embedded bool
}

// runLogins runs the logins outside the lock: a login reaches the
// emulator and may take a while.
func runLogins(ctx context.Context, login LoginFunc, ls []loginAttempt) error {
	for _, l := range ls {
		var err error
		switch {
		case !l.embedded:
			err = ErrPasswordNotEmbedded
		case login == nil:
			err = errors.New("tableaufake: no LoginFunc set")
		default:
			err = login(ctx, l.Login)
		}
		if err != nil {
			return fmt.Errorf("refresh of %q (connection %s): %w", l.Content, l.Connection, err)
		}
	}
	return nil
}

// job is an extract refresh the API started.
type job struct {
	id, siteID, kind, itemID, itemName string
	created                            time.Time
	polls                              int // reads left that show it in progress
	err                                error
}

// refreshNow handles Update Data Source Now / Update Workbook Now: the
// refresh runs at once (outside the lock) and the job reports its outcome
// after SetJobPolls reads. Content without an extract cannot be
// refreshed; the reference does not document the error, so the fake
// answers 400 (what users of the API report seeing).
func (s *Server) refreshNow(ctx context.Context, ss *session, kind, id string, body []byte) (int, *response, *APIError) {
	if len(body) > 0 {
		var req request
		if err := xml.Unmarshal(body, &req); err != nil {
			return 0, nil, badRequest("400000", "Bad Request", "The request body is not a tsRequest.")
		}
	}
	st, _, it, e := s.lookup(ss, kind, id)
	if e != nil {
		return 0, nil, e
	}
	if !it.spec.HasExtracts {
		return 0, nil, badRequest("400000", "Bad Request", "The %s has no extract to refresh.", kind)
	}
	for _, j := range s.jobs {
		if j.itemID == id && j.polls > 0 {
			return 0, nil, &APIError{Status: http.StatusConflict, Code: "409093", Summary: "Resource Conflict", Detail: "EXTRACT_OPERATION_ALREADY_QUEUED"}
		}
	}
	j := &job{id: newID(), siteID: st.id, kind: kind, itemID: id, itemName: it.spec.Name, created: s.now(), polls: s.jobPolls}
	logins, login := s.logins(it), s.login
	// The lock is released while the logins run, as a job runs apart
	// from the request that started it.
	s.mu.Unlock()
	j.err = runLogins(ctx, login, logins)
	s.mu.Lock()
	s.jobs[j.id] = j
	return http.StatusAccepted, &response{Job: j.xml(false)}, nil
}

// queryJob handles Query Job.
func (s *Server) queryJob(ss *session, id string) (int, *response, *APIError) {
	j := s.jobs[id]
	if j == nil || j.siteID != ss.siteID {
		return 0, nil, jobNotFound(id)
	}
	done := j.polls == 0
	if !done {
		j.polls--
	}
	return http.StatusOK, &response{Job: j.xml(done)}, nil
}

func (j *job) xml(done bool) *jobXML {
	x := &jobXML{ID: j.id, Mode: "Asynchronous", Type: "RefreshExtract", CreatedAt: j.created.UTC().Format(time.RFC3339), Refresh: &jobBody{}}
	ref := &idRef{ID: j.itemID, Name: j.itemName}
	if j.kind == kindDatasource {
		x.Refresh.Datasource = ref
	} else {
		x.Refresh.Workbook = ref
	}
	if !done {
		x.Progress = "0"
		return x
	}
	x.Progress = "100"
	x.CompletedAt = j.created.UTC().Format(time.RFC3339)
	x.FinishCode = "0"
	if j.err != nil {
		x.FinishCode = "1"
		x.Refresh.Notes = j.err.Error()
	}
	return x
}
