package vaulttest

import (
	"testing"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/require"
)

// fixture is a Store over one secret and a raw client, to look at what
// the adapter left in Vault the way an operator would.
type fixture struct {
	srv  *Server
	raw  *api.Client
	kv   *api.KVv2
	s    *secrets.Store
	path string
}

func newFixture(t *testing.T, srv *Server, path string) *fixture {
	t.Helper()
	raw := srv.Client(t)
	return &fixture{srv: srv, raw: raw, kv: raw.KVv2(Mount), s: openStore(t, srv.Client(t), path), path: path}
}

func openStore(t *testing.T, c *api.Client, path string) *secrets.Store {
	t.Helper()
	s, err := vault.New(c, Mount, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func (f *fixture) put(t *testing.T, v string, o *secrets.PutOptions) string {
	t.Helper()
	id, err := f.s.Put(t.Context(), []byte(v), o)
	require.NoError(t, err)
	return id
}

func (f *fixture) putPending(t *testing.T, v string) string {
	t.Helper()
	id, err := f.s.PutPending(t.Context(), []byte(v), nil)
	require.NoError(t, err)
	return id
}

// stages returns every listed version's stage.
func stages(t *testing.T, s *secrets.Store) map[string]secrets.Stage {
	t.Helper()
	vs, err := s.List(t.Context())
	require.NoError(t, err)
	out := map[string]secrets.Stage{}
	for _, v := range vs {
		out[v.ID] = v.Stage
	}
	return out
}
