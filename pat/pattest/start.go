package pattest

import (
	"bytes"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/snowflakedb/gosnowflake"
)

// Start starts a Server for a test, in the manner of httptest.NewServer,
// and closes it when the test ends. gosnowflake's log is kept out of the
// test's output — login failures are the point of many tests — and shown
// with the test's own log if it fails.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	quietDriver(tb)
	s := NewServer(opts...)
	tb.Cleanup(s.Close)
	s.tb = tb
	return s
}

// Admin returns a connection pool logged in as the bootstrap administrator
// by key pair (AdminConfig), opened on first use and closed when the test
// that started the server ends. It panics on a Server made with NewServer
// rather than Start.
func (s *Server) Admin() *sql.DB {
	s.adminOnce.Do(func() {
		if s.tb == nil {
			panic("pattest: Admin needs a Server made with Start")
		}
		s.admin = sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *s.AdminConfig()))
		// Cleanups run last-registered first: the pool closes its sessions
		// before Start's cleanup closes the server.
		s.tb.Cleanup(func() { _ = s.admin.Close() })
	})
	return s.admin
}

// ServiceUser is a service user made by NewServiceUser, with its token.
type ServiceUser struct {
	Name   string // as Snowflake stores it, e.g. POWERBI_SERVICE
	Role   string // the role granted to it and its token is restricted to
	Token  string // the token's name
	Secret string // the token's secret
}

// NewServiceUser makes a TYPE = SERVICE user the way the guide does — a
// network policy allowing loopback, a role granted to the user — and adds a
// token restricted to that role, as the administrator. name is an unquoted
// identifier; the role is <NAME>_ROLE and the token <NAME>_PAT. It fails
// the test on any error.
func (s *Server) NewServiceUser(name string) ServiceUser {
	s.tb.Helper()
	u := ServiceUser{Name: strings.ToUpper(name), Role: strings.ToUpper(name) + "_ROLE", Token: strings.ToUpper(name) + "_PAT"}
	for _, stmt := range []string{
		"CREATE NETWORK POLICY IF NOT EXISTS pattest_loopback ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE IF NOT EXISTS " + u.Role,
		"CREATE USER " + u.Name + " TYPE = SERVICE DEFAULT_ROLE = " + u.Role + " NETWORK_POLICY = pattest_loopback",
		"GRANT ROLE " + u.Role + " TO USER " + u.Name,
	} {
		if _, err := s.Admin().Exec(stmt); err != nil {
			s.tb.Fatalf("pattest: %s: %v", stmt, err)
		}
	}
	stmt := fmt.Sprintf("ALTER USER %s ADD PROGRAMMATIC ACCESS TOKEN %s ROLE_RESTRICTION = '%s'", u.Name, u.Token, u.Role)
	rows, err := s.Admin().Query(stmt)
	if err != nil {
		s.tb.Fatalf("pattest: %s: %v", stmt, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			s.tb.Fatalf("pattest: reading the new token: %v", err)
		}
		for i, c := range cols {
			if strings.EqualFold(c, "token_secret") {
				u.Secret = vals[i].String
			}
		}
	}
	if u.Secret == "" {
		s.tb.Fatalf("pattest: ADD returned no secret")
	}
	return u
}

// driverLog holds gosnowflake's log while tests run; the logger is global
// to the process, so one buffer serves every test, and a failed test shows
// what was logged while it ran (other tests' lines included, if they run
// in parallel).
var driverLog struct {
	once sync.Once
	mu   sync.Mutex
	buf  bytes.Buffer
}

type driverLogWriter struct{}

func (driverLogWriter) Write(p []byte) (int, error) {
	driverLog.mu.Lock()
	defer driverLog.mu.Unlock()
	if driverLog.buf.Len() > 1<<20 {
		driverLog.buf.Reset() // a bound, not a record: only recent lines matter
	}
	return driverLog.buf.Write(p)
}

// captureDriverLog sends gosnowflake's log (at warn and above: its debug
// level would log result cells, secrets included) to the shared buffer
// instead of standard error. Every Server does it once per process: an
// emulator is for tests and demonstrations, whose failed logins are
// expected and would otherwise fill the output.
func captureDriverLog() {
	driverLog.once.Do(func() {
		l := gosnowflake.GetLogger()
		_ = l.SetLogLevel("warn")
		l.SetOutput(driverLogWriter{})
	})
}

// quietDriver captures the driver's log and shows the part written during
// tb when tb fails.
func quietDriver(tb testing.TB) {
	captureDriverLog()
	driverLog.mu.Lock()
	start := driverLog.buf.Len()
	driverLog.mu.Unlock()
	tb.Cleanup(func() {
		if !tb.Failed() {
			return
		}
		driverLog.mu.Lock()
		defer driverLog.mu.Unlock()
		if b := driverLog.buf.Bytes(); start <= len(b) && len(b) > start {
			tb.Logf("gosnowflake's log while the test ran:\n%s", b[start:])
		}
	})
}
