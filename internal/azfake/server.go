package azfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
)

// Tenant is the tenant the challenge names.
const Tenant = "00000000-0000-0000-0000-000000000000"

// maxBody bounds a request body: a 25 KiB value, JSON-escaped, with tags,
// fits with room to spare.
const maxBody = 1 << 20

// Server is an in-process Key Vault. Its methods are safe for concurrent
// use.
type Server struct {
	srv *httptest.Server
	f   faults

	mu       sync.Mutex
	secrets  map[string]*secret // by lowercased name, soft-deleted ones included
	seq      uint64
	now      func() time.Time
	pageSize int
}

// New starts a Server on a loopback port with a self-signed certificate.
// Close it when done.
func New() *Server {
	s := &Server{secrets: map[string]*secret{}, now: time.Now, pageSize: 25}
	s.f.SumLatency = true
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the vault URL to give azsecrets.NewClient.
func (s *Server) URL() string { return s.srv.URL }

// HTTPClient returns a client that trusts the server's certificate.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// NewClient returns an azsecrets client for the server: it trusts the
// server's certificate, authenticates with a fake token, accepts the
// challenge's resource although the host is 127.0.0.1, and does not retry,
// so that an injected fault reaches the caller at once.
func (s *Server) NewClient() (*azsecrets.Client, error) {
	return s.NewClientWith(policy.RetryOptions{MaxRetries: -1})
}

// NewClientWith is NewClient with the retry policy retry: the zero value
// is azcore's default, as users get it.
func (s *Server) NewClientWith(retry policy.RetryOptions) (*azsecrets.Client, error) {
	return azsecrets.NewClient(s.URL(), &azfake.TokenCredential{}, s.ClientOptions(retry))
}

// ClientOptions are the options NewClientWith uses, for code that builds
// its client itself (a URL opener under test).
func (s *Server) ClientOptions(retry policy.RetryOptions) *azsecrets.ClientOptions {
	return &azsecrets.ClientOptions{
		ClientOptions:                        policy.ClientOptions{Transport: s.srv.Client(), Retry: retry},
		DisableChallengeResourceVerification: true,
	}
}

// SetClock replaces the server's clock, which stamps created, updated and
// deletion times.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetPageSize sets how many versions a page of GET .../versions holds when
// the client does not ask for fewer (the service's default is 25).
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = max(n, 1)
}

// Close releases held calls and shuts the server down.
func (s *Server) Close() {
	s.f.ReleaseAll()
	s.srv.Close()
}

// serve authenticates, routes and applies faults.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		s.f.challenged()
		w.Header().Set("WWW-Authenticate", `Bearer authorization="https://login.microsoftonline.com/`+Tenant+`", resource="https://vault.azure.net"`)
		writeError(w, unauthorized())
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		writeError(w, badParameter("The api-version query parameter is missing."))
		return
	}
	rt, e := route(r)
	if e != nil {
		writeError(w, e)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	if len(body) > maxBody {
		writeError(w, badParameter("The request body is too large."))
		return
	}
	injected, faulted, err := s.f.Intercept(r.Context(), rt.op)
	if err != nil {
		return
	}
	if faulted && injected != nil {
		writeError(w, injected)
		return
	}
	status, out, e := rt.run(s, r, body)
	if s.lostAnswer(w, rt) {
		return
	}
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, status, out)
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
