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
)

// Proxy is a reverse proxy on loopback in front of a Server that fails
// chosen requests: with an error status, by dropping the connection before
// the request reaches Vault, or by letting Vault commit it and dropping the
// response (a lost response: the client cannot tell whether it happened).
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

func (p *Proxy) take(r *http.Request) *fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[r.Method+" "+r.URL.Path]++
	for i, f := range p.faults {
		if f.method == r.Method && strings.Contains(r.URL.Path, f.path) {
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
		hangUp(w)
	case f.DropReply:
		p.rp.ServeHTTP(httptest.NewRecorder(), r)
		hangUp(w)
	default:
		body, _ := json.Marshal(map[string][]string{"errors": {f.Message}})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = w.Write(body)
	}
}

// hangUp closes the client's connection without a response.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
