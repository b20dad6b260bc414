package tableau

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push/internal/httpx"
)

// Scopes are the connected-app scopes the adapter's JWT asks for: reading
// content, updating data source and workbook connections, and (for Test)
// running a refresh and reading its job. The connected app must allow
// them; Tableau's "Access Scopes for Connected Apps" lists which REST
// methods each enables.
var Scopes = []string{
	"tableau:content:read",
	"tableau:datasources:update",
	"tableau:workbooks:update",
	"tableau:tasks:run",
	"tableau:jobs:read",
}

// jwtLife is how long a token lives: Tableau accepts at most ten minutes,
// and the token is used once, for the sign-in right after it is made.
const jwtLife = 5 * time.Minute

// connectedAppJWT makes the token a connected app with direct trust signs
// in with, as Tableau documents it: HS256 with the secret value, kid the
// secret id and iss the client id in the header; iss, sub (the user), aud
// "tableau", exp, a fresh jti and scp in the claims.
func connectedAppJWT(c apiCredentials, now time.Time) (pat.Secret, error) {
	var id [16]byte
	_, _ = rand.Read(id[:])
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": c.ClientID,
		"sub": c.Username,
		"aud": "tableau",
		"exp": now.Add(jwtLife).Unix(),
		"jti": fmt.Sprintf("%x", id),
		"scp": Scopes,
	})
	tok.Header["kid"] = c.SecretID
	tok.Header["iss"] = c.ClientID
	s, err := tok.SignedString([]byte(c.SecretValue.Reveal()))
	if err != nil {
		return pat.Secret{}, &httpx.Problem{Tool: "tableau", Msg: "signing the connected app's JWT", Err: err}
	}
	return pat.NewSecret(s), nil
}
