package vaulttest

import (
	"testing"

	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vault://<mount>/<path> finds the server and token in the environment, as
// the Vault CLI does.
func TestOpenURL(t *testing.T) {
	srv := Start(t, 1000)
	t.Setenv("VAULT_ADDR", srv.Addr)
	t.Setenv("VAULT_TOKEN", srv.Token)
	t.Setenv("VAULT_MAX_RETRIES", "0")
	ctx := t.Context()
	s, err := secrets.OpenStore(ctx, "vault://"+Mount+"/team/app/powerbi")
	require.NoError(t, err)
	defer s.Close()
	id, err := s.Put(ctx, []byte("pat"), nil)
	require.NoError(t, err)
	got, err := srv.Client(t).KVv2(Mount).Get(ctx, "team/app/powerbi")
	require.NoError(t, err)
	assert.Equal(t, "pat", got.Data["value"])
	assert.Equal(t, id, itoa(got.VersionMetadata.Version))
}
