package pattest

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// loginRequest is the part of gosnowflake's login body the emulator reads.
type loginRequest struct {
	Data struct {
		AccountName   string `json:"ACCOUNT_NAME"`
		LoginName     string `json:"LOGIN_NAME"`
		Password      string `json:"PASSWORD"`
		Authenticator string `json:"AUTHENTICATOR"`
		Token         string `json:"TOKEN"`
		// SessionParameters are the parameters the driver asks for the new
		// session (gosnowflake: Config.Params; Node: CLIENT_SESSION_KEEP_ALIVE).
		SessionParameters map[string]any `json:"SESSION_PARAMETERS"`
	} `json:"data"`
}

// decodeLoginRequest parses a login body; exported to the fuzz tests
// through this function alone.
func decodeLoginRequest(b []byte) (loginRequest, error) {
	var req loginRequest
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&req); err != nil {
		return loginRequest{}, fmt.Errorf("login request: %w", err)
	}
	return req, nil
}

// Authentication methods as the session records them.
const (
	methodPassword = "PASSWORD"
	methodPAT      = "PROGRAMMATIC_ACCESS_TOKEN"
	methodKeyPair  = "KEYPAIR"
)

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	var req loginRequest
	if err == nil {
		req, err = decodeLoginRequest(body)
	}
	if err != nil {
		http.Error(w, "bad login request", http.StatusBadRequest)
		return
	}
	addr := clientAddr(r)
	q := r.URL.Query()
	s.mu.Lock()
	ss, lerr := s.login(req, addr, q.Get("roleName"), q.Get("warehouse"))
	var params []map[string]any
	if ss != nil {
		ss.params.applyLogin(req.Data.SessionParameters)
		params = ss.params.list()
	}
	s.mu.Unlock()
	if lerr != nil {
		writeLoginFailure(w, lerr)
		return
	}
	writeJSON(w, map[string]any{"success": true, "code": nil, "message": nil, "data": map[string]any{
		"token":                   ss.token,
		"validityInSeconds":       int64(s.opts.sessionValidity / time.Second),
		"masterToken":             ss.master,
		"masterValidityInSeconds": int64(s.opts.masterValidity / time.Second),
		"sessionId":               ss.id,
		"displayUserName":         ss.user.name,
		"serverVersion":           "9.0.0-pattest",
		"firstLogin":              false,
		"parameters":              params,
		"sessionInfo": map[string]any{
			"roleName": ss.role, "warehouseName": ss.warehouse, "databaseName": nil, "schemaName": nil,
		},
	}})
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// login authenticates one request and opens its session. Called with s.mu
// held.
func (s *Server) login(req loginRequest, addr, roleParam, warehouse string) (*session, *Error) {
	a, e := s.authenticate(req, addr, roleParam)
	if e != nil {
		return nil, e
	}
	return s.newSession(a.u, a.role, warehouse, a.method, a.tok, addr), nil
}

// authenticated is who a login request authenticated as.
type authenticated struct {
	u      *user
	tok    *patRecord
	method string
	role   string
}

// authenticate decides a login request as the login endpoint does,
// without opening a session. Called with s.mu held.
func (s *Server) authenticate(req loginRequest, addr, roleParam string) (authenticated, *Error) {
	d := req.Data
	if !strings.EqualFold(d.AccountName, s.acct.name) {
		return authenticated{}, errLoginBadPassword
	}
	now := s.clock.Now()
	var (
		u      *user
		method string
		tok    *patRecord
	)
	switch strings.ToUpper(d.Authenticator) {
	case "", "SNOWFLAKE":
		u = s.acct.lookupUserForLogin(d.LoginName)
		if u == nil {
			return authenticated{}, errLoginBadPassword
		}
		// BI tools send a PAT as the password: Snowflake accepts it when it is
		// one of the user's tokens.
		if t := s.matchPAT(u, d.Password); t != nil {
			method, tok = methodPAT, t
		} else if u.password != "" && u.userType() != typeService && subtle.ConstantTimeCompare([]byte(u.password), []byte(d.Password)) == 1 {
			method = methodPassword
		} else {
			return authenticated{}, errLoginBadPassword
		}
		if tok != nil {
			if e := s.checkPAT(u, tok, now); e != nil {
				return authenticated{}, errLoginBadPassword
			}
		}
	case "PROGRAMMATIC_ACCESS_TOKEN":
		u = s.acct.lookupUserForLogin(d.LoginName)
		if u == nil {
			return authenticated{}, errLoginInvalidPAT
		}
		tok = s.matchPAT(u, d.Token)
		if tok == nil {
			return authenticated{}, errLoginInvalidPAT
		}
		if e := s.checkPAT(u, tok, now); e != nil {
			return authenticated{}, e
		}
		method = methodPAT
	case "SNOWFLAKE_JWT":
		var e *Error
		if u, e = s.verifyJWT(d.Token); e != nil {
			return authenticated{}, e
		}
		method = methodKeyPair
	default:
		return authenticated{}, &Error{CodeBadPassword, "08004", fmt.Sprintf("Authenticator '%s' is not supported by the emulator.", d.Authenticator)}
	}
	if u.disabled {
		if method == methodPAT && strings.ToUpper(d.Authenticator) == "PROGRAMMATIC_ACCESS_TOKEN" {
			return authenticated{}, errLoginInvalidPAT
		}
		return authenticated{}, errLoginUserDisabled
	}
	ap := s.acct.effectiveAuthPolicy(u)
	policyMethod := method
	if method == methodKeyPair {
		policyMethod = "KEYPAIR"
	}
	if !ap.allowsMethod(policyMethod) {
		return authenticated{}, errLoginAuthPolicy
	}
	if e := s.checkNetwork(u, tok, addr, now); e != nil {
		return authenticated{}, e
	}
	role, e := s.loginRole(u, tok, roleParam)
	if e != nil {
		return authenticated{}, e
	}
	return authenticated{u: u, tok: tok, method: method, role: role}, nil
}

// matchPAT finds the user's token whose secret is secret.
func (s *Server) matchPAT(u *user, secret string) *patRecord {
	if secret == "" {
		return nil
	}
	t, ok := s.acct.secrets[secret]
	if !ok || t.removed || t.user != u {
		return nil
	}
	return t
}

// checkPAT applies every rule that makes an existing token unusable. All of
// them answer 394400 alike, as Snowflake does.
func (s *Server) checkPAT(u *user, t *patRecord, now time.Time) *Error {
	if t.status(now) != "ACTIVE" {
		return errLoginInvalidPAT
	}
	pp := s.acct.patPolicyFor(u)
	// Lowering MAX_EXPIRY_IN_DAYS makes longer-lived existing tokens fail.
	if t.expiresAt.Sub(t.createdOn) > time.Duration(pp.maxExpiryDays)*24*time.Hour {
		return errLoginInvalidPAT
	}
	if t.roleRestriction != "" {
		if _, ok := s.acct.roles[t.roleRestriction]; !ok || !u.hasRole(t.roleRestriction) {
			return errLoginInvalidPAT
		}
		// Release 10.15: blocking a role also invalidates existing tokens
		// restricted to it.
		if pp.blocks(t.roleRestriction) {
			return errLoginInvalidPAT
		}
	}
	return nil
}

// checkNetwork enforces network policies at login. For PATs the
// authentication policy's NETWORK_POLICY_EVALUATION decides whether a policy
// is required, enforced, or ignored; other methods are always checked
// against a policy when one applies.
func (s *Server) checkNetwork(u *user, t *patRecord, addr string, now time.Time) *Error {
	np := s.acct.networkPolicyFor(u)
	if t != nil {
		switch s.acct.patPolicyFor(u).networkEvaluation {
		case "NOT_ENFORCED":
			return nil
		case "ENFORCED_REQUIRED":
			if np == nil && !now.Before(t.bypassUntil) {
				return errLoginNetworkMissing
			}
		}
	}
	if np == nil {
		return nil
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || !np.allows(ip) {
		return errLoginAddress(addr)
	}
	return nil
}

// loginRole picks the session's role: a token's role restriction wins and
// admits no other; otherwise the requested role, then the default role,
// then PUBLIC.
func (s *Server) loginRole(u *user, t *patRecord, requested string) (string, *Error) {
	requested = strings.ToUpper(requested)
	if t != nil && t.roleRestriction != "" {
		if requested != "" && requested != t.roleRestriction {
			return "", &Error{"390189", "08004", fmt.Sprintf("Role '%s' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.", requested)}
		}
		return t.roleRestriction, nil
	}
	if requested != "" {
		if !u.hasRole(requested) {
			return "", &Error{"390189", "08004", fmt.Sprintf("Role '%s' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.", requested)}
		}
		return requested, nil
	}
	if u.defaultRole != "" && u.roles[u.defaultRole] {
		return u.defaultRole, nil
	}
	return "PUBLIC", nil
}

// verifyJWT checks a key-pair login token: RS256 signed by one of the
// user's registered public keys, whose fingerprint the issuer names, for
// this account. The expiry claim is checked against real time, because the
// driver stamps it from the real clock, not the emulator's.
func (s *Server) verifyJWT(raw string) (*user, *Error) {
	claims := jwt.MapClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithLeeway(time.Minute))
	var u *user
	_, err := parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		sub, _ := claims["sub"].(string)
		iss, _ := claims["iss"].(string)
		acct, name, ok := strings.Cut(sub, ".")
		if !ok || !strings.EqualFold(acct, s.acct.name) {
			return nil, fmt.Errorf("wrong account")
		}
		u = s.acct.lookupUserForLogin(name)
		if u == nil {
			return nil, fmt.Errorf("no such user")
		}
		for _, body := range u.rsaKeys {
			if body == "" {
				continue
			}
			pub, fp, err := parsePublicKeyBody(body)
			if err != nil {
				continue
			}
			if strings.HasSuffix(iss, "."+fp) {
				return pub, nil
			}
		}
		return nil, fmt.Errorf("no key matches")
	})
	if err != nil || u == nil {
		return nil, errLoginJWT
	}
	return u, nil
}

// parsePublicKeyBody decodes an RSA_PUBLIC_KEY value (base64 DER, with or
// without PEM armour and line breaks) and returns the key and its
// SHA256:… fingerprint.
func parsePublicKeyBody(body string) (*rsa.PublicKey, string, error) {
	body = strings.TrimSpace(body)
	body = strings.TrimPrefix(body, "-----BEGIN PUBLIC KEY-----")
	body = strings.TrimSuffix(body, "-----END PUBLIC KEY-----")
	body = strings.Join(strings.Fields(body), "")
	der, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, "", err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, "", err
	}
	pub, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, "", fmt.Errorf("not an RSA key")
	}
	sum := sha256.Sum256(der)
	return pub, "SHA256:" + base64.StdEncoding.EncodeToString(sum[:]), nil
}

// publicKeyBody renders a public key the way users paste it into
// RSA_PUBLIC_KEY: base64 DER without PEM armour.
func publicKeyBody(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(der), nil
}

// PublicKeyBody renders pub as a value for CREATE USER … RSA_PUBLIC_KEY = '…'.
func PublicKeyBody(pub *rsa.PublicKey) string {
	s, err := publicKeyBody(pub)
	if err != nil {
		panic(fmt.Sprintf("pattest: encoding public key: %v", err))
	}
	return s
}
