package tableaufake

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
)

// DefaultVersion is the REST API version the fake speaks unless SetVersion
// says otherwise (Tableau Server 2024.2's).
const DefaultVersion = "3.23"

// maxBody bounds a request body.
const maxBody = 1 << 20

// sessionLife is how long a session lasts: Tableau Server's default
// session idle timeout is 240 minutes; the fake counts from sign-in.
const sessionLife = 240 * time.Minute

// Server is an in-process Tableau REST API. Its methods are safe for
// concurrent use.
type Server struct {
	srv *httptest.Server
	f   faults

	mu       sync.Mutex
	version  string
	now      func() time.Time
	sites    []*site
	projects map[string]string
	sessions map[string]*session
	jtis     map[string]bool
	jobs     map[string]*job
	jobPolls int
	login    LoginFunc
}

type session struct {
	siteID, userID string
	expires        time.Time
	scopes         []string // nil for a personal access token: no scope limits
}

// New starts a Server on a loopback port with a self-signed certificate,
// with the default site ("") and no users. Close it when done.
func New() *Server {
	s := newServer()
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// NewPlain starts a Server that speaks plain HTTP on loopback, for tests
// of the rule that allows plain HTTP only to loopback hosts.
func NewPlain() *Server {
	s := newServer()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func newServer() *Server {
	s := &Server{version: DefaultVersion, now: time.Now, projects: map[string]string{},
		sessions: map[string]*session{}, jtis: map[string]bool{}, jobs: map[string]*job{}, jobPolls: 1}
	s.addSite("")
	return s
}

// URL is the server's base URL, such as https://127.0.0.1:43121.
func (s *Server) URL() string { return s.srv.URL }

// Host is the server's host and port, for a tableau:// URL.
func (s *Server) Host() string { return s.srv.Listener.Addr().String() }

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// SetVersion sets the newest REST API version the server speaks, as
// serverinfo reports it.
func (s *Server) SetVersion(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = v
}

// SetClock replaces the server's clock, which checks JWT expiry, ends
// sessions and stamps jobs.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// ExpireSessions ends every session, as an idle timeout or a server
// restart does: the next call with an old token gets 401002.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// Sessions returns how many sessions are signed in.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Close releases held calls and shuts the server down.
func (s *Server) Close() {
	s.f.Close()
	s.srv.Close()
}

// serve routes, applies faults, authenticates and answers.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rt, e := s.route(r)
	if e != nil {
		writeError(w, e)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	if len(body) > maxBody {
		writeError(w, badRequest("400000", "Bad Request", "The request body is too large."))
		return
	}
	x, faulted, err := s.f.Intercept(r.Context(), rt.op)
	if err != nil {
		return
	}
	if faulted && x.err != nil && !x.after {
		if x.err.Code == ErrSessionExpired.Code {
			// 401002 means the server no longer has the session: an
			// injected one ends it, so that the fake's state agrees.
			s.mu.Lock()
			delete(s.sessions, r.Header.Get("X-Tableau-Auth"))
			s.mu.Unlock()
		}
		writeError(w, x.err)
		return
	}
	status, out, e := s.run(rt, r, body)
	switch {
	case faulted && x.drop:
		fakefault.Drop(w)
	case faulted && x.after:
		writeError(w, x.err)
	case e != nil:
		writeError(w, e)
	default:
		writeXML(w, status, out)
	}
}

// run authenticates the call (all but serverinfo and signin need a
// session on the site in the path) and runs it under the lock.
func (s *Server) run(rt call, r *http.Request, body []byte) (int, *response, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ss *session
	if rt.needsSession {
		tok := r.Header.Get("X-Tableau-Auth")
		ss = s.sessions[tok]
		if ss != nil && s.now().After(ss.expires) {
			delete(s.sessions, tok)
			ss = nil
		}
		if ss == nil {
			return 0, nil, ErrSessionExpired
		}
		// Assumption: a session used against another site's URL is
		// treated as not signed in to that site.
		if rt.siteID != "" && rt.siteID != ss.siteID {
			return 0, nil, ErrSessionExpired
		}
	}
	return rt.run(s, r, ss, body)
}

func writeError(w http.ResponseWriter, e *APIError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeXML(w, e.Status, &response{Error: &errorXML{Code: e.Code, Summary: e.Summary, Detail: e.Detail}})
}

func writeXML(w http.ResponseWriter, status int, v *response) {
	if v == nil {
		w.WriteHeader(status)
		return
	}
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml;charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(b)
}
