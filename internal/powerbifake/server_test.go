package powerbifake

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, s *Server, path, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Only tokens the fake issued, for the Power BI scope and unexpired, get
// in; the error body has the service's shape.
func TestTokensChecked(t *testing.T) {
	s := New()
	defer s.Close()
	ws := s.AddWorkspace("w", "sp")
	ds := s.AddDataset(ws, Dataset{Name: "d", Owner: "sp"})
	path := "/v1.0/myorg/groups/" + ws + "/datasets/" + ds + "/datasources"

	code, body := get(t, s, path, "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, `"code":"InvalidToken"`)
	code, _ = get(t, s, path, "made-up")
	assert.Equal(t, http.StatusUnauthorized, code)

	tok, err := s.Credential("sp").GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://vault.azure.net/.default"}})
	require.NoError(t, err)
	code, _ = get(t, s, path, tok.Token)
	assert.Equal(t, http.StatusUnauthorized, code, "wrong scope")

	tok, err = s.Credential("sp").GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{Scope}})
	require.NoError(t, err)
	code, body = get(t, s, path, tok.Token)
	assert.Equal(t, http.StatusOK, code)
	assert.True(t, strings.HasPrefix(body, `{"@odata.context"`))

	other, err := s.Credential("outsider").GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{Scope}})
	require.NoError(t, err)
	code, body = get(t, s, path, other.Token)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, body, "PowerBINotAuthorizedException")

	s.ExpireTokens()
	code, body = get(t, s, path, tok.Token)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, "TokenExpired")
}
