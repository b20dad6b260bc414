package vaulttest

import (
	"net/http"
	"testing"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const recordPath = "/.snowpat-stages"

// Failures injected by the proxy map onto the portable errors, with
// *api.ResponseError reachable when Vault (or the proxy) answered.
func TestErrorsThroughProxy(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	s := openStore(t, srv.ClientAt(t, proxy.Addr()), "errors/mapped")
	ctx := t.Context()
	_, err := s.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)

	for _, c := range []struct {
		status int
		want   error
	}{
		{http.StatusServiceUnavailable, secrets.ErrUnavailable},
		{http.StatusInternalServerError, secrets.ErrUnavailable},
		{http.StatusBadGateway, secrets.ErrUnavailable},
		{http.StatusTooManyRequests, secrets.ErrUnavailable},
		{http.StatusPreconditionFailed, secrets.ErrUnavailable},
		{http.StatusForbidden, secrets.ErrPermissionDenied},
	} {
		proxy.FailNext("GET", recordPath, Fault{Status: c.status, Message: "injected"})
		_, err := s.Current(ctx)
		assert.ErrorIs(t, err, c.want, "%d", c.status)
		var re *api.ResponseError
		if assert.True(t, s.ErrorAs(err, &re), "%d", c.status) {
			assert.Equal(t, c.status, re.StatusCode)
		}
	}

	// net/http resends an idempotent request once when a reused
	// connection closes without a reply: drop both.
	proxy.FailNext("GET", recordPath, Fault{DropRequest: true})
	proxy.FailNext("GET", recordPath, Fault{DropRequest: true})
	_, err = s.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrUnavailable, "no response at all")
}

// A write whose record request never reaches Vault commits nothing. One
// whose reply is lost after Vault committed it succeeds: the adapter
// reads the record version its write would have made and finds its own
// mark there (before it did, the write was Unavailable, and only a retry
// with the idempotency key found the committed version). The retry still
// returns that version.
func TestLostWrites(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	s := openStore(t, srv.ClientAt(t, proxy.Addr()), "errors/lost")
	ctx := t.Context()
	a, err := s.Put(ctx, []byte("a"), nil)
	require.NoError(t, err)

	proxy.FailNext("PUT", recordPath, Fault{DropRequest: true})
	_, err = s.Put(ctx, []byte("never"), nil)
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageCurrent}, stages(t, s), "nothing committed")

	opts := &secrets.PutOptions{IdempotencyKey: "rotation-1"}
	proxy.FailNext("PUT", recordPath, Fault{DropReply: true})
	b, err := s.Put(ctx, []byte("b"), opts)
	require.NoError(t, err)
	again, err := s.Put(ctx, []byte("b"), opts)
	require.NoError(t, err)
	assert.Equal(t, b, again)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent}, stages(t, s), "committed once")
	_, err = s.Put(ctx, []byte("other"), opts)
	assert.ErrorIs(t, err, secrets.ErrConflict, "the key is taken by another value")
}

// A token whose policy only reads gets Vault's own 403.
func TestReadOnlyToken(t *testing.T) {
	srv := Start(t, 1000)
	root := srv.Client(t)
	ctx := t.Context()
	f := newFixture(t, srv, "errors/readonly")
	a := f.put(t, "a", nil)
	require.NoError(t, root.Sys().PutPolicyWithContext(ctx, "reader", `
path "`+Mount+`/data/*" { capabilities = ["read"] }
path "`+Mount+`/metadata/*" { capabilities = ["read"] }
`))
	tok, err := root.Auth().Token().CreateWithContext(ctx, &api.TokenCreateRequest{Policies: []string{"reader"}})
	require.NoError(t, err)
	c := srv.Client(t)
	c.SetToken(tok.Auth.ClientToken)
	s := openStore(t, c, f.path)

	cur, err := s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, a, cur.ID)
	_, err = s.Put(ctx, []byte("b"), nil)
	assert.ErrorIs(t, err, secrets.ErrPermissionDenied)
	var re *api.ResponseError
	require.True(t, s.ErrorAs(err, &re))
	assert.Equal(t, http.StatusForbidden, re.StatusCode)
}
