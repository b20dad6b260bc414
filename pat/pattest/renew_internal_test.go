package pattest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// post sends a raw protocol request and decodes the JSON answer.
func post(t *testing.T, s *Server, path, token string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(b))
	if token != "" {
		req.Header.Set("Authorization", `Snowflake Token="`+token+`"`)
	}
	resp, err := (&http.Client{Transport: s.transport}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRenewalAnswerLost: a client whose renewal answer never arrived
// still holds the superseded session token. It must be told the token
// expired (390112), so that it renews again with it, not that the session
// is gone (390111), which would strand a pooled connection for good.
func TestRenewalAnswerLost(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.mu.Lock()
	ss := s.newSession(s.acct.users[AdminUser], "ACCOUNTADMIN", "", methodKeyPair, nil, "127.0.0.1")
	old, master := ss.token, ss.master
	s.mu.Unlock()

	s.FakeClock().Step(2 * time.Hour)
	if got := post(t, s, "/queries/v1/query-request", old, map[string]any{"sqlText": "SELECT 1"}); got["code"] != CodeSessionExpired {
		t.Fatalf("expired token: %v", got)
	}
	// The renewal happens, but its answer is "lost": the client keeps old.
	if got := post(t, s, "/session/token-request", master, map[string]any{"oldSessionToken": old, "requestType": "RENEW"}); got["success"] != true {
		t.Fatalf("renew: %v", got)
	}
	if got := post(t, s, "/queries/v1/query-request", old, map[string]any{"sqlText": "SELECT 1"}); got["code"] != CodeSessionExpired {
		t.Fatalf("superseded token must read as expired, got %v", got)
	}
	got := post(t, s, "/session/token-request", master, map[string]any{"oldSessionToken": old, "requestType": "RENEW"})
	if got["success"] != true {
		t.Fatalf("renewing again with the superseded token: %v", got)
	}
	fresh := got["data"].(map[string]any)["sessionToken"].(string)
	if got := post(t, s, "/queries/v1/query-request", fresh, map[string]any{"sqlText": "SELECT 1"}); got["success"] != true {
		t.Fatalf("fresh token: %v", got)
	}
	// A token that was never issued is a session that does not exist.
	if got := post(t, s, "/queries/v1/query-request", "nope", map[string]any{"sqlText": "SELECT 1"}); got["code"] != "390111" {
		t.Fatalf("unknown token: %v", got)
	}
}

// TestHeartbeatKeepsSessionAlive: the keep-alive heartbeat extends a
// session token's validity on the server's clock; an unknown token is a
// session that does not exist.
func TestHeartbeatKeepsSessionAlive(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.mu.Lock()
	ss := s.newSession(s.acct.users[AdminUser], "ACCOUNTADMIN", "", methodKeyPair, nil, "127.0.0.1")
	tok := ss.token
	s.mu.Unlock()
	for i := 0; i < 3; i++ {
		s.FakeClock().Step(50 * time.Minute)
		if got := post(t, s, "/session/heartbeat", tok, map[string]any{}); got["success"] != true {
			t.Fatalf("heartbeat %d: %v", i, got)
		}
	}
	// 150 minutes after login, the token still works: each beat renewed it.
	if got := post(t, s, "/queries/v1/query-request", tok, map[string]any{"sqlText": "SELECT 1"}); got["success"] != true {
		t.Fatalf("after heartbeats: %v", got)
	}
	s.FakeClock().Step(2 * time.Hour)
	if got := post(t, s, "/session/heartbeat", tok, map[string]any{}); got["code"] != CodeSessionExpired {
		t.Fatalf("heartbeat on an expired token: %v", got)
	}
	if got := post(t, s, "/session/heartbeat", "nope", map[string]any{}); got["code"] != "390111" {
		t.Fatalf("heartbeat on an unknown token: %v", got)
	}
	if c := s.Counts(); c.Heartbeat != 5 {
		t.Fatalf("heartbeats counted: %d", c.Heartbeat)
	}
}

// TestTelemetryAccepted: the driver's telemetry batches are accepted and
// counted, never failed.
func TestTelemetryAccepted(t *testing.T) {
	s := NewServer()
	defer s.Close()
	got := post(t, s, "/telemetry/send", "", map[string]any{"logs": []any{map[string]any{"message": map[string]any{"type": "client_sql_exception"}}}})
	if got["success"] != true || s.Counts().Telemetry != 1 {
		t.Fatalf("telemetry: %v, counted %d", got, s.Counts().Telemetry)
	}
}
