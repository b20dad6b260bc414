package k8sfake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Link is one client's connection to the server: a loopback HTTP server
// of its own onto the shared state, so that a test can fail or stall one
// client's requests (a partitioned replica) while others go through.
type Link struct {
	srv  *Server
	http *httptest.Server

	mu     sync.Mutex
	hook   func(*http.Request, Request) error
	client *http.Client

	closing context.Context // ends when the Link closes, releasing stalled hooks
	close   context.CancelFunc
}

// Link starts a new Link. Close it when done.
func (s *Server) Link() *Link {
	l := &Link{srv: s}
	l.closing, l.close = context.WithCancel(context.Background())
	l.http = httptest.NewServer(http.HandlerFunc(l.serve))
	return l
}

// URL is the Link's base URL, for a rest.Config's Host or a kubeconfig.
func (l *Link) URL() string { return l.http.URL }

// Hook sets a function every request through the Link passes first: it
// may block (until the request's context ends, say, to stall a client) and
// a non-nil error fails the request with 503 Service Unavailable and that
// message, without reaching the server. nil removes the hook.
func (l *Link) Hook(h func(r *http.Request, req Request) error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hook = h
}

// Partition fails every request until Heal; Heal removes any hook.
func (l *Link) Partition() {
	l.Hook(func(*http.Request, Request) error { return fmt.Errorf("network partition (k8sfake)") })
}

// Heal lets requests through again.
func (l *Link) Heal() { l.Hook(nil) }

func (l *Link) serve(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	h := l.hook
	l.mu.Unlock()
	if h != nil {
		// The body is read first, so that the server notices a client that
		// gives up (the request's context ends), and the request's context
		// also ends when the Link closes, so that a hook stalling on it
		// cannot outlive the test.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeErr(w, r, apierrors.NewBadRequest(err.Error()))
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(l.closing, cancel)
		defer stop()
		r = r.WithContext(ctx)
		r.Body = io.NopCloser(bytes.NewReader(body))
		res, ns, name, _ := parsePath(r.URL.Path)
		req := Request{Verb: verbOf(r.Method, name), Namespace: ns, Name: name}
		if res != nil {
			req.Group, req.Resource = res.group, res.name
		}
		if err := h(r, req); err != nil {
			writeErr(w, r, apierrors.NewServiceUnavailable(err.Error()))
			return
		}
	}
	l.srv.ServeHTTP(w, r)
}

// Config is a rest.Config for the Link, without client-side rate
// limiting, so that tests are not paced by a token bucket.
func (l *Link) Config() *rest.Config {
	return &rest.Config{Host: l.http.URL, QPS: -1}
}

// Clientset returns a client-go clientset over the Link, whose
// connections Close closes.
func (l *Link) Clientset() kubernetes.Interface {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client == nil {
		l.client = &http.Client{Transport: &http.Transport{}}
	}
	cs, err := kubernetes.NewForConfigAndClient(l.Config(), l.client)
	if err != nil {
		panic(err) // a config with only a host and QPS cannot be refused
	}
	return cs
}

// Close stops the Link and closes its clients' idle connections.
func (l *Link) Close() {
	l.Heal()
	l.close()
	l.http.CloseClientConnections()
	l.http.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client != nil {
		l.client.CloseIdleConnections()
	}
}

// WriteKubeconfig writes a kubeconfig file in dir with one context per
// Link, named as given, each with namespace "default", the first current,
// and returns its path.
func WriteKubeconfig(dir string, contexts map[string]*Link, current string) (string, error) {
	s := "apiVersion: v1\nkind: Config\ncurrent-context: " + current + "\nclusters:\n"
	for name, l := range contexts {
		s += fmt.Sprintf("- name: %s\n  cluster:\n    server: %s\n", name, l.URL())
	}
	s += "users:\n- name: tester\n  user: {}\ncontexts:\n"
	for name := range contexts {
		s += fmt.Sprintf("- name: %s\n  context:\n    cluster: %s\n    user: tester\n    namespace: default\n", name, name)
	}
	p := filepath.Join(dir, "kubeconfig")
	return p, os.WriteFile(p, []byte(s), 0o600)
}
