package azkv

import (
	"net/url"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azcorefake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseURL(t *testing.T) {
	for _, c := range []struct{ in, vaultURL, name string }{
		{"azkv://contoso-kv/powerbi-prod", "https://contoso-kv.vault.azure.net", "powerbi-prod"},
		{"azkv://Contoso/PowerBI", "https://contoso.vault.azure.net", "PowerBI"},
		{"azkv://contoso/x?vault_url=https://contoso.vault.azure.cn/", "https://contoso.vault.azure.cn", "x"},
	} {
		u, err := url.Parse(c.in)
		require.NoError(t, err)
		v, n, err := parseURL(u)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.vaultURL, v, c.in)
		assert.Equal(t, c.name, n, c.in)
	}
}

func TestBadURLs(t *testing.T) {
	for _, u := range []string{
		"azkv://contoso",                 // no secret name
		"azkv://contoso/a/b",             // '/' is not a name character
		"azkv://contoso/a_b",             // nor is '_'
		"azkv://co/x",                    // vault names are 3 or more
		"azkv://9lives/x",                // and start with a letter
		"azkv://con--toso/x",             // without "--"
		"azkv://contoso:443/x",           // no port
		"azkv://me@contoso/x",            // no user
		"azkv://contoso/x#frag",          // no fragment
		"azkv://contoso/x?region=westus", // unknown parameter
		"azkv://contoso/x?vault_url=http://contoso.vault.azure.net", // not https
		"azkv://contoso/x?vault_url=https://h/path",                 // a path
		"azkv://contoso/x?content_type=not%20a%20type",
	} {
		_, err := secrets.OpenStore(t.Context(), u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
}

// A URL opens a working Store; the fake stands in for the vault, reached
// through vault_url with the test's credential and transport.
func TestOpenURL(t *testing.T) {
	srv := azfake.New()
	t.Cleanup(srv.Close)
	urlsReach(t, srv, policy.RetryOptions{MaxRetries: -1})
	ctx := t.Context()
	s, err := secrets.OpenStore(ctx, "azkv://contoso/powerbi?content_type=application/json&vault_url="+url.QueryEscape(srv.URL()))
	require.NoError(t, err)
	defer s.Close()
	id, err := s.Put(ctx, []byte(`{"t":1}`), nil)
	require.NoError(t, err)
	cur, err := s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	var c *azsecrets.Client
	require.True(t, s.As(&c))
	r, err := c.GetSecret(ctx, "powerbi", id, nil)
	require.NoError(t, err)
	assert.Contains(t, *r.ContentType, "application/json")
}

// urlsReach makes URLs opened during the test reach srv, with its
// certificate, a fake credential and the retry policy retry.
func urlsReach(t *testing.T, srv *azfake.Server, retry policy.RetryOptions) {
	t.Helper()
	cred, opts := urlCredential, urlClientOptions
	t.Cleanup(func() { urlCredential, urlClientOptions = cred, opts })
	urlCredential = func() (azcore.TokenCredential, error) { return &azcorefake.TokenCredential{}, nil }
	urlClientOptions = func() *azsecrets.ClientOptions { return srv.ClientOptions(retry) }
}
