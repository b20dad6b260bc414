package tableaufake

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The API versions that introduced each way of signing in, after Tableau
// Server Client's version gates.
const (
	patVersion = "3.6"
	jwtVersion = "3.17"
)

// signIn handles POST /api/{v}/auth/signin with a personal access token or
// a connected-app JWT.
func (s *Server) signIn(v string, body []byte) (int, *response, *APIError) {
	var req request
	if err := xml.Unmarshal(body, &req); err != nil || req.Credentials == nil || req.Credentials.Site == nil {
		return 0, nil, badRequest("400000", "Bad Request", "The sign-in request must carry a credentials element with a site element.")
	}
	c := req.Credentials
	st := s.siteByURL(c.Site.ContentURL)
	if st == nil {
		// Assumption: the server does not say whether a site exists to
		// someone not signed in; it fails the sign-in.
		return 0, nil, ErrSignInFailed
	}
	var u *user
	var scopes []string
	switch {
	case c.PATN != "" || c.PATS != "":
		if !versionAtMost(patVersion, v) {
			return 0, nil, badRequest("400000", "Bad Request", "Personal access tokens need API version %s or later.", patVersion)
		}
		p := st.pats[c.PATN]
		if p == nil || p.revoked || subtle.ConstantTimeCompare([]byte(p.secret), []byte(c.PATS)) != 1 {
			return 0, nil, ErrSignInFailed
		}
		u = st.users[p.user]
	case c.JWT != "":
		if !versionAtMost(jwtVersion, v) {
			return 0, nil, badRequest("400000", "Bad Request", "JSON web tokens need API version %s or later.", jwtVersion)
		}
		var ok bool
		u, scopes, ok = s.verifyJWT(st, c.JWT)
		if !ok {
			return 0, nil, ErrSignInFailed
		}
	default:
		// User name and password sign-in exists on the real server; the
		// fake supports only the token kinds the adapter uses.
		return 0, nil, ErrSignInFailed
	}
	if u == nil {
		return 0, nil, ErrSignInFailed
	}
	tok := newToken()
	s.sessions[tok] = &session{siteID: st.id, userID: u.id, expires: s.now().Add(sessionLife), scopes: scopes}
	return http.StatusOK, &response{Credentials: &credentialsOut{Token: tok, Site: siteRef{ID: st.id, ContentURL: st.contentURL}, User: idRef{ID: u.id}}}, nil
}

// signOut ends the session whose token the request carries.
func signOut(s *Server, r *http.Request, _ *session, _ []byte) (int, *response, *APIError) {
	delete(s.sessions, r.Header.Get("X-Tableau-Auth"))
	return http.StatusNoContent, nil, nil
}

// jwtHeader and jwtClaims are what a connected app's token carries.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Iss string `json:"iss"`
}

type jwtClaims struct {
	Iss string          `json:"iss"`
	Sub string          `json:"sub"`
	Aud json.RawMessage `json:"aud"`
	Exp *float64        `json:"exp"`
	Jti string          `json:"jti"`
	Scp []string        `json:"scp"`
}

// maxJWTLife is Tableau's limit on a connected-app token's exp: at most
// ten minutes ahead.
const maxJWTLife = 10 * time.Minute

// verifyJWT checks a connected-app token the way the documentation
// describes direct trust, with its own HS256 code rather than a JWT
// library, so that the fake does not share the adapter's.
func (s *Server) verifyJWT(st *site, token string) (*user, []string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	var h jwtHeader
	var c jwtClaims
	if !decodeSegment(parts[0], &h) || !decodeSegment(parts[1], &c) || h.Alg != "HS256" {
		return nil, nil, false
	}
	a := st.apps[c.Iss]
	if a == nil || (h.Iss != "" && h.Iss != c.Iss) {
		return nil, nil, false
	}
	secret, ok := a.secrets[h.Kid]
	if !ok {
		return nil, nil, false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, nil, false
	}
	now := s.now()
	if c.Exp == nil {
		return nil, nil, false
	}
	exp := time.Unix(int64(*c.Exp), 0)
	if !exp.After(now) || exp.Sub(now) > maxJWTLife+time.Minute {
		return nil, nil, false
	}
	if !audienceIs(c.Aud, "tableau") || c.Jti == "" || s.jtis[c.Jti] || len(c.Scp) == 0 {
		return nil, nil, false
	}
	s.jtis[c.Jti] = true
	return st.users[strings.ToLower(c.Sub)], c.Scp, true
}

func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}

// audienceIs accepts aud as a string or an array of strings, as RFC 7519
// allows.
func audienceIs(raw json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == want
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, want)
}

// allows reports whether the session may use scope. Sessions signed in
// with a personal access token have no scope limits.
func (ss *session) allows(scope string) bool {
	if ss.scopes == nil {
		return true
	}
	for _, sc := range ss.scopes {
		if sc == scope {
			return true
		}
		// A wildcard scope such as "tableau:datasources:*".
		if prefix, ok := strings.CutSuffix(sc, "*"); ok && strings.HasPrefix(scope, prefix) {
			return true
		}
	}
	return false
}
