package pattest

import (
	"crypto/rand"
	"crypto/rsa"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
)

// AdminUser is the bootstrap administrator every Server starts with: a
// TYPE=SERVICE user holding ACCOUNTADMIN that logs in with a key pair, the
// way a rotator should (a PAT-authenticated session cannot manage PATs).
const AdminUser = "SNOWPAT_ADMIN"

// Server is an in-process Snowflake account that the real gosnowflake
// driver logs into over loopback HTTP. Start one with NewServer and stop it
// with Close, as with httptest.Server.
type Server struct {
	mu         sync.Mutex
	acct       *account
	sessions   map[string]*session // by session token
	masters    map[string]*session // by master token
	superseded map[string]*session // session tokens replaced by a renewal
	nextID     int64
	faults     []*activeFault
	stmtCounts map[string]int64

	opts  options
	clock clock.PassiveClock

	// For servers made by Start: the test, and its administrator pool.
	tb        testing.TB
	adminOnce sync.Once
	admin     *sql.DB
	http      *httptest.Server
	adminKey  *rsa.PrivateKey
	// transport carries every client connection made from Config, so that
	// Close can drop the driver's idle keep-alive connections and leave no
	// goroutine behind.
	transport *http.Transport
	latency   atomic.Int64
	counts    counters
	queryID   atomic.Int64
}

// NewServer starts an emulator on a loopback port.
//
// It also turns off gosnowflake's cloud platform detection for the process
// (SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true) unless the variable is already
// set: on its first connection the driver otherwise probes cloud metadata
// addresses (169.254.169.254, metadata.google.internal), which a test
// against a loopback emulator must never reach.
func NewServer(opts ...Option) *Server {
	DisablePlatformDetection()
	captureDriverLog()
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	clock := o.clock
	if clock == nil {
		clock = testingclock.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond))
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(fmt.Sprintf("pattest: generating the administrator key: %v", err))
	}
	s := &Server{
		acct:       newAccount(strings.ToUpper(o.account), clock.Now()),
		sessions:   map[string]*session{},
		masters:    map[string]*session{},
		superseded: map[string]*session{},
		stmtCounts: map[string]int64{},
		opts:       o,
		clock:      clock,
		adminKey:   key,
	}
	pub, err := publicKeyBody(&key.PublicKey)
	if err != nil {
		panic(fmt.Sprintf("pattest: encoding the administrator key: %v", err))
	}
	s.acct.users[AdminUser] = &user{
		name: AdminUser, typ: typeService, defaultRole: "ACCOUNTADMIN", owner: "ACCOUNTADMIN",
		comment: "pattest bootstrap administrator", rsaKeys: [2]string{pub, ""},
		createdOn: clock.Now(), roles: map[string]bool{"ACCOUNTADMIN": true},
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.transport = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
	return s
}

// Close shuts the server down and waits for requests in flight.
func (s *Server) Close() {
	s.transport.CloseIdleConnections()
	s.http.Close()
	s.transport.CloseIdleConnections()
}

// Clock is the clock the server keeps time by.
func (s *Server) Clock() clock.PassiveClock { return s.clock }

// FakeClock is the server's clock when it is a *testingclock.FakeClock (its
// own, by default): step it to age tokens and sessions. It is nil when
// WithClock gave another kind of clock.
func (s *Server) FakeClock() *testingclock.FakeClock {
	c, _ := s.clock.(*testingclock.FakeClock)
	return c
}

// Account is the emulated account's name.
func (s *Server) Account() string { return s.acct.name }

// URL is the server's base URL (http://127.0.0.1:port).
func (s *Server) URL() string { return s.http.URL }

// HostPort returns the loopback host and port the server listens on.
func (s *Server) HostPort() (string, int) {
	host, port, _ := net.SplitHostPort(s.http.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	return host, p
}

// AdminKey is the bootstrap administrator's private key.
func (s *Server) AdminKey() *rsa.PrivateKey { return s.adminKey }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if d := time.Duration(s.latency.Load()); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if r.Method != http.MethodPost {
		s.counts.other.Add(1)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/session/v1/login-request":
		s.counts.login.Add(1)
		s.handleLogin(w, r)
	case "/queries/v1/query-request":
		s.counts.query.Add(1)
		s.handleQuery(w, r)
	case "/session/token-request":
		s.counts.renew.Add(1)
		s.handleRenew(w, r)
	case "/session":
		s.counts.closeSession.Add(1)
		s.handleCloseSession(w, r)
	case "/session/heartbeat":
		s.counts.heartbeat.Add(1)
		s.handleHeartbeat(w, r)
	case "/telemetry/send":
		s.counts.telemetry.Add(1)
		writeJSON(w, map[string]any{"success": true, "code": nil, "message": nil, "data": "Log Received"})
	case "/queries/v1/abort-request":
		s.counts.other.Add(1)
		writeJSON(w, map[string]any{"success": true, "code": nil, "message": nil, "data": nil})
	default:
		s.counts.other.Add(1)
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// writeFailure sends a Snowflake error the way Snowflake does: HTTP 200
// with success false.
func writeFailure(w http.ResponseWriter, e *Error, queryID string) {
	writeJSON(w, failure(e, queryID))
}

func failure(e *Error, queryID string) map[string]any {
	data := map[string]any{"sqlState": e.SQLState}
	if queryID != "" {
		data["queryId"] = queryID
	}
	return map[string]any{"success": false, "code": e.Code, "message": e.Message, "data": data}
}

// writeRaw sends an already encoded JSON answer.
func writeRaw(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// sessionToken extracts the token from `Authorization: Snowflake Token="…"`.
func sessionToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const prefix = `Snowflake Token="`
	if !strings.HasPrefix(h, prefix) || !strings.HasSuffix(h, `"`) {
		return ""
	}
	return h[len(prefix) : len(h)-1]
}

func randomToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) newQueryID() string {
	n := s.queryID.Add(1)
	return fmt.Sprintf("01b0c0de-0000-%04x-0000-%012x", n>>48&0xffff, n&0xffffffffffff)
}

// DisablePlatformDetection sets SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true
// unless the variable is already set, so that gosnowflake does not probe
// cloud metadata endpoints. NewServer calls it; call it yourself before any
// gosnowflake connection made without a Server.
func DisablePlatformDetection() {
	if _, set := os.LookupEnv("SNOWFLAKE_DISABLE_PLATFORM_DETECTION"); !set {
		_ = os.Setenv("SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true")
	}
}

// writeLoginFailure answers a refused login as Snowflake does: HTTP 200,
// success false, the code and message, and data null — except for an
// unusable PAT, whose data names the next action, as in gosnowflake's
// recorded fixture test_data/wiremock/mappings/auth/pat/invalid_token.json.
// Drivers set the SQL state of login failures themselves.
func writeLoginFailure(w http.ResponseWriter, e *Error) {
	var data any
	if e.Code == CodeInvalidPAT {
		data = map[string]any{"nextAction": "RETRY_LOGIN", "authnMethod": "PAT", "signInOptions": map[string]any{}}
	}
	writeJSON(w, map[string]any{"success": false, "code": e.Code, "message": e.Message, "data": data})
}
