package powerbifake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Scope is the scope a token must be issued for: the Power BI API's.
const Scope = "https://analysis.windows.net/powerbi/api/.default"

// tokenLife is how long an issued token lives, as Entra ID's do by
// default.
const tokenLife = time.Hour

type issued struct {
	principal string
	scopes    []string
	expires   time.Time
}

// Credential is an azcore.TokenCredential standing in for Entra ID: it
// issues random tokens for its principal that the server accepts, and
// nothing else does.
type Credential struct {
	s         *Server
	principal string

	mu    sync.Mutex
	err   error
	count int
}

// Credential returns a credential that signs in as principal (a service
// principal's or user's name in the fake's permission model).
func (s *Server) Credential(principal string) *Credential {
	return &Credential{s: s, principal: principal}
}

// SetError makes GetToken fail with err (nil to succeed again), as a
// misconfigured azidentity credential does.
func (c *Credential) SetError(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// Issued returns how many tokens the credential has issued.
func (c *Credential) Issued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// GetToken issues a token for the requested scopes.
func (c *Credential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if err := ctx.Err(); err != nil {
		return azcore.AccessToken{}, err
	}
	c.mu.Lock()
	err := c.err
	if err == nil {
		c.count++
	}
	c.mu.Unlock()
	if err != nil {
		return azcore.AccessToken{}, err
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = issued{principal: c.principal, scopes: slices.Clone(opts.Scopes), expires: s.now().Add(tokenLife)}
	// The server expires the token on its own clock; the client is told
	// a wall-clock expiry because azcore's token cache compares with
	// time.Now.
	return azcore.AccessToken{Token: tok, ExpiresOn: time.Now().Add(tokenLife)}, nil
}

// ExpireTokens makes every issued token expired on the server (the
// clients' caches still hold them), as after an hour.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.tokens {
		t.expires = s.now().Add(-time.Second)
		s.tokens[k] = t
	}
}

// principal authenticates a request: the token must have been issued by
// one of the server's credentials, for the Power BI scope, and not have
// expired. The caller holds the lock.
func (s *Server) principal(header string) (string, *APIError) {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || tok == "" {
		return "", invalidToken("The request carries no bearer token.")
	}
	t, ok := s.tokens[tok]
	switch {
	case !ok:
		return "", invalidToken("The bearer token was not issued for this service.")
	case !slices.Contains(t.scopes, Scope):
		return "", invalidToken("The bearer token was not issued for the Power BI API's scope.")
	case !s.now().Before(t.expires):
		return "", ErrTokenExpired
	}
	return t.principal, nil
}
