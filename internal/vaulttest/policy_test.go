package vaulttest

import (
	"strings"
	"testing"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The policy the package documentation gives is enough for every
// operation, the stage copy in custom metadata included.
func TestDocumentedPolicy(t *testing.T) {
	srv := Start(t, 1000)
	root := srv.Client(t)
	ctx := t.Context()
	policy := strings.ReplaceAll(`
path "kv/data/team/powerbi"      { capabilities = ["create", "read", "update"] }
path "kv/data/team/powerbi/*"    { capabilities = ["create", "read", "update"] }
path "kv/metadata/team/powerbi"  { capabilities = ["read", "patch"] }
path "kv/delete/team/powerbi"    { capabilities = ["update"] }
path "kv/destroy/team/powerbi"   { capabilities = ["update"] }
`, `"kv/`, `"`+Mount+`/`)
	require.NoError(t, root.Sys().PutPolicyWithContext(ctx, "rotator", policy))
	tok, err := root.Auth().Token().CreateWithContext(ctx, &api.TokenCreateRequest{Policies: []string{"rotator"}})
	require.NoError(t, err)
	c := srv.Client(t)
	c.SetToken(tok.Auth.ClientToken)
	s := openStore(t, c, "team/powerbi")

	a, err := s.PutIf(ctx, []byte("a"), secrets.IfAbsent(), nil)
	require.NoError(t, err)
	p, err := s.PutPendingIf(ctx, []byte("p"), secrets.IfCurrent(a), nil)
	require.NoError(t, err)
	require.NoError(t, s.PromoteIf(ctx, p, secrets.IfCurrent(a)))
	require.NoError(t, s.Retire(ctx, a))
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageNone, p: secrets.StageCurrent}, stages(t, s))
	meta, err := root.KVv2(Mount).GetMetadata(ctx, "team/powerbi")
	require.NoError(t, err)
	assert.Equal(t, p, meta.CustomMetadata[vault.MetaCurrent])
	require.NoError(t, s.Delete(ctx))
}
