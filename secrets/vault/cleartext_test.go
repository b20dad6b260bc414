package vault

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/snowpat/snowpat/internal/fakefault"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An http Vault address would carry the token and every value in clear:
// a vault:// store refuses it, before anything is sent, unless the host
// is loopback or SNOWPAT_VAULT_INSECURE=true, which logs a warning. The
// agent's address, which the client prefers, is held to the same rule.
func TestAddressCleartext(t *testing.T) {
	t.Setenv("VAULT_TOKEN", "s.token-in-clear")
	t.Setenv("VAULT_MAX_RETRIES", "0")
	t.Setenv("VAULT_AGENT_ADDR", "")
	t.Setenv(InsecureEnv, "")
	var logs bytes.Buffer
	ctx := secrets.WithLogger(context.Background(), slog.New(slog.NewJSONHandler(&logs, nil)))
	dials := &fakefault.NoDial{}
	testDial = dials.Dial
	t.Cleanup(func() { testDial = nil })

	for _, env := range []map[string]string{
		{"VAULT_ADDR": "http://192.0.2.10:8200"},
		{"VAULT_ADDR": "http://vault.example.com:8200"},
		{"VAULT_ADDR": "http://192.0.2.10:8200", InsecureEnv: "false"},
		{"VAULT_ADDR": "http://192.0.2.10:8200", InsecureEnv: "yes"},
		{"VAULT_ADDR": "https://vault.example.com", "VAULT_AGENT_ADDR": "http://192.0.2.10:8100"},
	} {
		for k, v := range env {
			t.Setenv(k, v)
		}
		_, err := secrets.OpenStore(ctx, "vault://kv/team/powerbi")
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, env)
		if err != nil {
			assert.NotContains(t, err.Error(), "token-in-clear")
		}
		t.Setenv("VAULT_AGENT_ADDR", "")
		t.Setenv(InsecureEnv, "")
	}
	assert.Empty(t, dials.Addrs(), "nothing was sent")
	assert.Empty(t, logs.String())

	// Loopback, https and a unix socket need no switch and earn no warning.
	for _, addr := range []string{"http://127.0.0.1:8200", "http://localhost:8200", "http://[::1]:8200", "https://192.0.2.10:8200", "unix:///run/vault.sock"} {
		t.Setenv("VAULT_ADDR", addr)
		s, err := secrets.OpenStore(ctx, "vault://kv/team/powerbi")
		require.NoError(t, err, addr)
		require.NoError(t, s.Close())
	}
	assert.Empty(t, logs.String())

	// With the switch the store opens, with a warning, and its requests go
	// to the address: shown by the dialer, which connects nowhere.
	t.Setenv("VAULT_ADDR", "http://192.0.2.10:8200")
	t.Setenv(InsecureEnv, "true")
	s, err := secrets.OpenStore(ctx, "vault://kv/team/powerbi")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	assert.Contains(t, logs.String(), `"level":"WARN"`)
	assert.Contains(t, logs.String(), `"host":"192.0.2.10"`)
	_, err = s.Current(ctx)
	require.Error(t, err)
	assert.Equal(t, []string{"192.0.2.10:8200"}, dials.Addrs())
}
