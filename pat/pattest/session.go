package pattest

import (
	"encoding/json"
	"net/http"
	"time"
)

// session is one logged-in connection.
type session struct {
	id            int64
	token         string
	master        string
	user          *user
	role          string
	warehouse     string
	authMethod    string     // PASSWORD, PROGRAMMATIC_ACCESS_TOKEN, KEYPAIR
	pat           *patRecord // the token the session logged in with, if any
	expires       time.Time
	masterExpires time.Time // zero: never
	clientAddr    string
	params        sessionParams
	replies       replies // answers by requestId, for retried query-requests
}

// restrictedRole is the role a PAT-authenticated session is confined to, or "".
func (ss *session) restrictedRole() string {
	if ss.pat != nil {
		return ss.pat.roleRestriction
	}
	return ""
}

// newSession registers a session for u. Called with s.mu held.
func (s *Server) newSession(u *user, role, warehouse, method string, pat *patRecord, addr string) *session {
	now := s.clock.Now()
	s.nextID++
	ss := &session{
		id: s.nextID, token: randomToken("ver:1-hint:sess-"), master: randomToken("ver:1-hint:mast-"),
		user: u, role: role, warehouse: warehouse, authMethod: method, pat: pat,
		expires: now.Add(s.opts.sessionValidity), clientAddr: addr, params: newSessionParams(),
	}
	if s.opts.masterValidity > 0 {
		ss.masterExpires = now.Add(s.opts.masterValidity)
	}
	s.sessions[ss.token] = ss
	s.masters[ss.master] = ss
	return ss
}

// handleRenew implements the 390112 flow: the driver presents the master
// token and the expired session token and gets a fresh session token.
func (s *Server) handleRenew(w http.ResponseWriter, r *http.Request) {
	var body struct {
		OldSessionToken string `json:"oldSessionToken"`
		RequestType     string `json:"requestType"`
	}
	raw, err := readBody(r)
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	master := sessionToken(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.masters[master]
	if !ok || body.RequestType != "RENEW" || (ss.token != body.OldSessionToken && s.superseded[body.OldSessionToken] != ss) {
		writeFailure(w, errMasterExpired, "")
		return
	}
	now := s.clock.Now()
	if !ss.masterExpires.IsZero() && !now.Before(ss.masterExpires) {
		writeFailure(w, errMasterExpired, "")
		return
	}
	// The old token stays known as superseded: a client that never got
	// this answer (its context ended, the response was lost) still holds
	// it, and must be told it expired — 390112, so it renews again — not
	// that its session is gone.
	delete(s.sessions, ss.token)
	s.superseded[ss.token] = ss
	ss.token = randomToken("ver:1-hint:sess-")
	ss.expires = now.Add(s.opts.sessionValidity)
	s.sessions[ss.token] = ss
	writeJSON(w, map[string]any{"success": true, "code": nil, "message": nil, "data": map[string]any{
		"sessionToken":        ss.token,
		"validityInSecondsST": int64(s.opts.sessionValidity / time.Second),
		"masterToken":         ss.master,
		"validityInSecondsMT": int64(s.opts.masterValidity / time.Second),
		"sessionId":           ss.id,
	}})
}

func (s *Server) handleCloseSession(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("delete") != "true" {
		http.Error(w, "unsupported session request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	tok := sessionToken(r)
	ss, ok := s.sessions[tok]
	if !ok {
		ss, ok = s.superseded[tok]
	}
	if ok {
		delete(s.sessions, ss.token)
		delete(s.masters, ss.master)
		for t, x := range s.superseded {
			if x == ss {
				delete(s.superseded, t)
			}
		}
	}
	s.mu.Unlock()
	writeJSON(w, map[string]any{"success": true, "code": nil, "message": nil, "data": nil})
}

// handleHeartbeat keeps a session alive: it extends the session token's
// validity as Snowflake's keep-alive does.
func (s *Server) handleHeartbeat(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[sessionToken(r)]
	if !ok {
		writeFailure(w, errSessionGone, "")
		return
	}
	now := s.clock.Now()
	if !now.Before(ss.expires) {
		writeFailure(w, errSessionExpired, "")
		return
	}
	ss.expires = now.Add(s.opts.sessionValidity)
	writeJSON(w, map[string]any{"success": true, "code": nil, "message": nil, "data": nil})
}

// Sessions reports how many sessions are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
