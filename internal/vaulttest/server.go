package vaulttest

import (
	"net/http"
	"sync"
	"testing"
	"time"

	kv "github.com/hashicorp/vault-plugin-secrets-kv"
	"github.com/hashicorp/vault/api"
	vaulthttp "github.com/hashicorp/vault/http"
	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/vault"
)

// Mount is where Start mounts the KV version 2 engine.
const Mount = "kvv2"

// Server is a running Vault: unsealed, with a root token and KV v2 at
// Mount.
type Server struct {
	Addr  string // http://127.0.0.1:port
	Token string // the root token
	// transports are those of every client made, so that the cleanup can
	// drop their idle connections (whose goroutines would otherwise
	// outlive the test).
	mu         sync.Mutex
	transports []*http.Transport
}

// Start runs a Vault core and its HTTP API until the test ends. The core
// keeps its storage in memory.
func Start(t *testing.T, maxVersions int) *Server {
	t.Helper()
	core, _, token := vault.TestCoreUnsealedWithConfig(t, &vault.CoreConfig{
		// The engine must be registered as "kv": mounting "kv-v2" resolves
		// to it with version 2.
		LogicalBackends: map[string]logical.Factory{"kv": kv.Factory},
	})
	ln, addr := vaulthttp.TestServer(t, core)
	s := &Server{Addr: addr, Token: token}
	t.Cleanup(func() {
		s.closeIdle()
		_ = ln.Close()
	})
	c := s.Client(t)
	if err := c.Sys().MountWithContext(t.Context(), Mount, &api.MountInput{
		Type:    "kv",
		Options: map[string]string{"version": "2"},
	}); err != nil {
		t.Fatalf("mounting kv v2: %v", err)
	}
	if _, err := c.Logical().WriteWithContext(t.Context(), Mount+"/config", map[string]any{"max_versions": maxVersions}); err != nil {
		t.Fatalf("configuring kv v2: %v", err)
	}
	return s
}

// Client returns a root client for the server that does not retry, so
// that tests see each failure as it happens.
func (s *Server) Client(t *testing.T) *api.Client {
	t.Helper()
	return s.ClientAt(t, s.Addr)
}

// ClientAt is Client for another address, such as a proxy's.
func (s *Server) ClientAt(t *testing.T, addr string) *api.Client {
	t.Helper()
	return s.client(t, addr, func(cfg *api.Config) { cfg.MaxRetries = 0 })
}

// RetryingClientAt is ClientAt with vault/api's default retries: up to
// two more attempts after a 5xx, a 412 or a failed connection, which is
// what api.DefaultConfig gives users. wait replaces the pause between
// attempts (1 to 1.5 seconds by default) when it is not zero.
func (s *Server) RetryingClientAt(t *testing.T, addr string, wait time.Duration) *api.Client {
	t.Helper()
	return s.client(t, addr, func(cfg *api.Config) {
		if wait != 0 {
			cfg.MinRetryWait, cfg.MaxRetryWait = wait, wait
		}
	})
}

func (s *Server) client(t *testing.T, addr string, adjust func(*api.Config)) *api.Client {
	t.Helper()
	cfg := api.DefaultConfig()
	cfg.Address = addr
	adjust(cfg)
	if tr, ok := cfg.HttpClient.Transport.(*http.Transport); ok {
		s.mu.Lock()
		s.transports = append(s.transports, tr)
		s.mu.Unlock()
	}
	c, err := api.NewClient(cfg)
	if err != nil {
		t.Fatalf("api.NewClient: %v", err)
	}
	c.SetToken(s.Token)
	return c
}

func (s *Server) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tr := range s.transports {
		tr.CloseIdleConnections()
	}
}
