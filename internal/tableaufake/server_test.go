package tableaufake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func do(t *testing.T, s *Server, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("X-Tableau-Auth", token)
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func signIn(t *testing.T, s *Server, creds string) (token, siteID string) {
	t.Helper()
	code, body := do(t, s, http.MethodPost, "/api/3.23/auth/signin", "", `<tsRequest><credentials `+creds+`><site contentUrl="finance"/></credentials></tsRequest>`)
	require.Equal(t, http.StatusOK, code, body)
	token = between(body, `token="`, `"`)
	siteID = between(body, `<site id="`, `"`)
	return token, siteID
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(rest, to)
	return v
}

// serverinfo needs no session; everything else does; a version newer
// than the server's is unknown; answers are in Tableau's namespace.
func TestSessionsAndVersions(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddSite("finance")
	s.AddUser("finance", "admin", RoleSiteAdministrator)
	s.AddPAT("finance", "admin", "tok", "secret")

	code, body := do(t, s, http.MethodGet, "/api/2.4/serverinfo", "", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `<tsResponse xmlns="http://tableau.com/api">`)
	assert.Contains(t, body, "<restApiVersion>"+DefaultVersion+"</restApiVersion>")
	code, body = do(t, s, http.MethodGet, "/api/9.0/serverinfo", "", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, body, `code="404003"`)

	code, body = do(t, s, http.MethodPost, "/api/3.23/auth/signin", "", `<tsRequest><credentials personalAccessTokenName="tok" personalAccessTokenSecret="wrong"><site contentUrl="finance"/></credentials></tsRequest>`)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, `code="401001"`)

	tok, site := signIn(t, s, `personalAccessTokenName="tok" personalAccessTokenSecret="secret"`)
	code, _ = do(t, s, http.MethodGet, "/api/3.23/sites/"+site+"/datasources", tok, "")
	assert.Equal(t, http.StatusOK, code)
	code, body = do(t, s, http.MethodGet, "/api/3.23/sites/"+site+"/datasources", "", "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, body, `code="401002"`)
	code, _ = do(t, s, http.MethodGet, "/api/3.23/sites/"+s.AddSite("other")+"/datasources", tok, "")
	assert.Equal(t, http.StatusUnauthorized, code, "a session covers its own site only")

	code, _ = do(t, s, http.MethodPost, "/api/3.23/auth/signout", tok, "")
	assert.Equal(t, http.StatusNoContent, code)
	code, _ = do(t, s, http.MethodGet, "/api/3.23/sites/"+site+"/datasources", tok, "")
	assert.Equal(t, http.StatusUnauthorized, code, "signed out")
}

// Paging and filtering follow the reference's rules.
func TestPagingAndFilter(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddSite("finance")
	s.AddUser("finance", "admin", RoleSiteAdministrator)
	s.AddPAT("finance", "admin", "tok", "secret")
	for _, n := range []string{"a", "b", "c:d"} {
		s.AddDatasource("finance", Content{Name: n, Owner: "admin"})
	}
	tok, site := signIn(t, s, `personalAccessTokenName="tok" personalAccessTokenSecret="secret"`)
	p := "/api/3.23/sites/" + site + "/datasources"
	code, body := do(t, s, http.MethodGet, p+"?pageSize=2&pageNumber=2", tok, "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `<pagination pageNumber="2" pageSize="2" totalAvailable="3">`)
	code, body = do(t, s, http.MethodGet, p+"?pageSize=2&pageNumber=3", tok, "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, `code="400006"`)
	code, _ = do(t, s, http.MethodGet, p+"?pageSize=1001", tok, "")
	assert.Equal(t, http.StatusForbidden, code)
	code, body = do(t, s, http.MethodGet, p+"?filter=name:eq:c:d", tok, "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `totalAvailable="1"`, "a value may hold colons")
	code, _ = do(t, s, http.MethodGet, p+"?filter=name:eq:a,b", tok, "")
	assert.Equal(t, http.StatusBadRequest, code, "a comma separates expressions")
}

// A connected app's JWT is checked: signature, audience, expiry within
// ten minutes, a jti used once.
func TestJWTChecks(t *testing.T) {
	s := New()
	defer s.Close()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	s.AddSite("finance")
	s.AddUser("finance", "admin", RoleSiteAdministrator)
	s.AddConnectedApp("finance", "client", "sid", "value")
	mk := func(key string, claims map[string]any) string {
		h, _ := json.Marshal(map[string]string{"alg": "HS256", "kid": "sid", "iss": "client"})
		c, _ := json.Marshal(claims)
		in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(in))
		return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	claims := func(jti string, exp time.Duration) map[string]any {
		return map[string]any{"iss": "client", "sub": "admin", "aud": "tableau", "jti": jti, "exp": now.Add(exp).Unix(), "scp": []string{"tableau:content:read"}}
	}
	try := func(tok string) int {
		code, _ := do(t, s, http.MethodPost, "/api/3.23/auth/signin", "", `<tsRequest><credentials jwt="`+tok+`"><site contentUrl="finance"/></credentials></tsRequest>`)
		return code
	}
	assert.Equal(t, http.StatusOK, try(mk("value", claims("1", 5*time.Minute))))
	assert.Equal(t, http.StatusUnauthorized, try(mk("value", claims("1", 5*time.Minute))), "a replayed jti")
	assert.Equal(t, http.StatusUnauthorized, try(mk("wrong", claims("2", 5*time.Minute))), "a bad signature")
	assert.Equal(t, http.StatusUnauthorized, try(mk("value", claims("3", -time.Minute))), "expired")
	assert.Equal(t, http.StatusUnauthorized, try(mk("value", claims("4", time.Hour))), "too long-lived")
	c := claims("5", time.Minute)
	c["aud"] = "other"
	assert.Equal(t, http.StatusUnauthorized, try(mk("value", c)), "another audience")
}
