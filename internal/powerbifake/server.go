package powerbifake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
)

const maxBody = 1 << 20

// Server is an in-process Power BI REST API. Its methods are safe for
// concurrent use.
type Server struct {
	srv *httptest.Server
	f   faults

	mu           sync.Mutex
	now          func() time.Time
	tokens       map[string]issued
	workspaces   map[string]*workspace
	gateways     map[string]*gateway
	cloudAnswer  CloudGatewayAnswer
	refreshPolls int
	testOnUpdate bool
	login        LoginFunc
}

// CloudGatewayAnswer is how Get Gateway answers for the gateway id of a
// cloud connection.
type CloudGatewayAnswer int

const (
	// CloudNotFound answers 404, as Microsoft's .NET sample expects.
	CloudNotFound CloudGatewayAnswer = iota
	// CloudNameless answers with a gateway that has no name, as the
	// Python sample expects.
	CloudNameless
)

// New starts a Server on a loopback port with a self-signed certificate.
// Close it when done.
func New() *Server {
	s := &Server{now: time.Now, tokens: map[string]issued{}, workspaces: map[string]*workspace{},
		gateways: map[string]*gateway{}, refreshPolls: 1}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the API's base URL (what https://api.powerbi.com is for the
// service).
func (s *Server) URL() string { return s.srv.URL }

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// SetClock replaces the server's clock, which expires tokens and stamps
// refreshes.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetCloudGatewayAnswer sets how Get Gateway answers for cloud gateways.
func (s *Server) SetCloudGatewayAnswer(a CloudGatewayAnswer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cloudAnswer = a
}

// SetTestOnUpdate makes Update Datasource log in with the new credentials
// and refuse them (400) when the login fails.
func (s *Server) SetTestOnUpdate(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.testOnUpdate = on
}

// Close releases held calls and shuts the server down.
func (s *Server) Close() {
	s.f.Close()
	s.srv.Close()
}

type call struct {
	op  string
	run func(s *Server, r *http.Request, principal string, body []byte) (int, any, *APIError)
}

// route maps a request onto an operation:
//
//	GET   /v1.0/myorg/groups/{ws}/datasets/{ds}/datasources      GetDatasourcesInGroup
//	POST  /v1.0/myorg/groups/{ws}/datasets/{ds}/refreshes        RefreshDatasetInGroup
//	GET   /v1.0/myorg/groups/{ws}/datasets/{ds}/refreshes        GetRefreshHistoryInGroup
//	GET   /v1.0/myorg/gateways/{gw}                              GetGateway
//	PATCH /v1.0/myorg/gateways/{gw}/datasources/{id}             UpdateDatasource
func route(r *http.Request) (call, *APIError) {
	p, ok := strings.CutPrefix(r.URL.Path, "/v1.0/myorg/")
	if !ok {
		return call{}, notFound("Resource", r.URL.Path)
	}
	parts := strings.Split(p, "/")
	m := r.Method
	switch {
	case len(parts) == 5 && parts[0] == "groups" && parts[2] == "datasets" && parts[4] == "datasources" && m == http.MethodGet:
		ws, ds := parts[1], parts[3]
		return call{OpGetDatasourcesInGroup, func(s *Server, _ *http.Request, p string, _ []byte) (int, any, *APIError) {
			return s.getDatasources(p, ws, ds)
		}}, nil
	case len(parts) == 5 && parts[0] == "groups" && parts[2] == "datasets" && parts[4] == "refreshes" && m == http.MethodPost:
		ws, ds := parts[1], parts[3]
		return call{OpRefreshDatasetInGroup, func(s *Server, r *http.Request, p string, b []byte) (int, any, *APIError) {
			return s.startRefresh(r, p, ws, ds, b)
		}}, nil
	case len(parts) == 5 && parts[0] == "groups" && parts[2] == "datasets" && parts[4] == "refreshes" && m == http.MethodGet:
		ws, ds := parts[1], parts[3]
		return call{OpGetRefreshHistoryInGroup, func(s *Server, r *http.Request, p string, _ []byte) (int, any, *APIError) {
			return s.refreshHistory(r, p, ws, ds)
		}}, nil
	case len(parts) == 2 && parts[0] == "gateways" && m == http.MethodGet:
		gw := parts[1]
		return call{OpGetGateway, func(s *Server, _ *http.Request, p string, _ []byte) (int, any, *APIError) {
			return s.getGateway(p, gw)
		}}, nil
	case len(parts) == 4 && parts[0] == "gateways" && parts[2] == "datasources" && m == http.MethodPatch:
		gw, id := parts[1], parts[3]
		return call{OpUpdateDatasource, func(s *Server, r *http.Request, p string, b []byte) (int, any, *APIError) {
			return s.updateDatasource(r, p, gw, id, b)
		}}, nil
	}
	return call{}, notFound("Resource", r.Method+" "+r.URL.Path)
}

// serve authenticates, routes, applies faults and answers.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, e := s.principal(r.Header.Get("Authorization"))
	s.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return
	}
	rt, e := route(r)
	if e != nil {
		writeError(w, e)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return
	}
	if len(body) > maxBody {
		writeError(w, invalid("The request body is too large."))
		return
	}
	x, faulted, err := s.f.Intercept(r.Context(), rt.op)
	if err != nil {
		return
	}
	if faulted && x.err != nil && !x.after {
		writeError(w, x.err)
		return
	}
	status, out, e := rt.run(s, r, p, body)
	switch {
	case faulted && x.drop:
		fakefault.Drop(w)
	case faulted && x.after:
		writeError(w, x.err)
	case e != nil:
		writeError(w, e)
	default:
		if id, ok := out.(requestID); ok {
			w.Header().Set("RequestId", string(id))
			w.Header().Set("Location", r.URL.String()+"/"+string(id))
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, out)
	}
}

func writeError(w http.ResponseWriter, e *APIError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeJSON(w, e.Status, e.body())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	if v == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
