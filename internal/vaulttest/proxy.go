package vaulttest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/snowpat/snowpat/internal/fakefault"
)

// Proxy is a reverse proxy on loopback in front of a Server that fails
// chosen requests: with an error status, by dropping the connection before
// the request reaches Vault, or by letting Vault commit it and then
// dropping the connection or answering an error status (a lost response:
// the client cannot tell whether it happened).
type Proxy struct {
	srv *httptest.Server
	rp  *httputil.ReverseProxy

	mu     sync.Mutex
	faults []*fault
	calls  map[string]int // by "METHOD /v1/path"
}

// Fault says how a matched request fails.
type Fault struct {
	Status      int    // answer with this status and a Vault error body
	Message     string // the body's error message
	DropRequest bool   // close the connection; Vault never sees the request
	DropReply   bool   // forward it, then close the connection without the reply
	// Applied forwards the request to Vault, which carries it out, and
	// then answers Status instead of Vault's reply: the server error after
	// a commit that vault/api's retries resend.
	Applied bool
	// Exact matches the path whole (without the /v1/ prefix, as in
	// "kvv2/data/team/app") rather than as a substring, so that a fault
	// for a secret's path leaves the paths below it alone.
	Exact bool
	// Query, when set, matches only requests whose query string contains
	// it, such as "version=" for reads of one KV version.
	Query string
}

// Hold makes a matched request wait at the proxy, before it reaches
// Vault, until released: tests use it to interleave writers exactly,
// without sleeping.
type Gate struct {
	arrived  chan struct{}
	released chan struct{}
	once     sync.Once
}

// Arrived is closed once the held request has reached the proxy.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Release sends the held request on. It may be called more than once.
func (g *Gate) Release() { g.once.Do(func() { close(g.released) }) }

type fault struct {
	method, path string // path is matched as a substring of the URL path
	f            Fault
	gate         *Gate // set for a hold
}

// NewProxy starts a proxy to s until the test ends.
func NewProxy(t *testing.T, s *Server) *Proxy {
	t.Helper()
	target, err := url.Parse(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{rp: httputil.NewSingleHostReverseProxy(target), calls: map[string]int{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

// Addr is the address to give a client.
func (p *Proxy) Addr() string { return p.srv.URL }

// FailNext makes the next request with this method whose URL path contains
// path fail as f says. Faults queue in order.
func (p *Proxy) FailNext(method, path string, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &fault{method: method, path: path, f: f})
}

// Hold parks the next request with this method whose URL path contains
// path until the returned Gate is released (or the test ends).
func (p *Proxy) Hold(t *testing.T, method, path string) *Gate {
	g := &Gate{arrived: make(chan struct{}), released: make(chan struct{})}
	t.Cleanup(g.Release)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &fault{method: method, path: path, gate: g})
	return g
}

// Calls counts requests with this method whose URL path contains path.
func (p *Proxy) Calls(method, path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for k, c := range p.calls {
		m, u, _ := strings.Cut(k, " ")
		if m == method && strings.Contains(u, path) {
			n += c
		}
	}
	return n
}

// Clear drops every fault and hold no request has taken.
func (p *Proxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.faults {
		if f.gate != nil {
			f.gate.Release()
		}
	}
	p.faults = nil
}

func (f *fault) matches(r *http.Request) bool {
	if f.method != r.Method || !strings.Contains(r.URL.RawQuery, f.f.Query) {
		return false
	}
	if f.f.Exact {
		return strings.TrimPrefix(r.URL.Path, "/v1/") == f.path
	}
	return strings.Contains(r.URL.Path, f.path)
}

func (p *Proxy) take(r *http.Request) *fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[r.Method+" "+r.URL.Path]++
	for i, f := range p.faults {
		if f.matches(r) {
			p.faults = append(p.faults[:i], p.faults[i+1:]...)
			return f
		}
	}
	return nil
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	x := p.take(r)
	if x != nil && x.gate != nil {
		close(x.gate.arrived)
		select {
		case <-x.gate.released:
		case <-r.Context().Done():
			return
		}
		x = nil
	}
	var f Fault
	if x != nil {
		f = x.f
	}
	switch ok := x != nil; {
	case !ok:
		p.rp.ServeHTTP(w, r)
	case f.DropRequest:
		fakefault.HangUp(w)
	case f.DropReply:
		p.rp.ServeHTTP(httptest.NewRecorder(), r)
		fakefault.HangUp(w)
	case f.Applied:
		p.rp.ServeHTTP(httptest.NewRecorder(), r)
		writeFault(w, f)
	default:
		writeFault(w, f)
	}
}

// writeFault answers f.Status with a Vault error body.
func writeFault(w http.ResponseWriter, f Fault) {
	body, _ := json.Marshal(map[string][]string{"errors": {f.Message}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	_, _ = w.Write(body)
}
