package pattest_test

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestInjectedError(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	boom := &pattest.Error{Code: "000630", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}
	e.srv.Inject(pattest.Fault{Match: `ADD\s+PAT`, Err: boom, Times: 2})

	// Statements that do not match are untouched.
	require.Equal(t, "1", queryString(t, e.admin, "SELECT 1"))
	for i := 0; i < 2; i++ {
		_, err := e.admin.Exec("ALTER USER alice ADD PAT t")
		requireCode(t, err, 630, "timeout")
	}
	// The failed statements did not run, and the fault is used up.
	require.Empty(t, showPATs(t, e.admin, "alice"))
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t")

	e.srv.Inject(pattest.Fault{Err: boom})
	e.srv.ClearFaults()
	require.Equal(t, "1", queryString(t, e.admin, "SELECT 1"))
}

func TestLostResponse(t *testing.T) {
	e := newEnv(t)
	e.serviceUser("svc", "reader")
	addPAT(t, e.admin, "ALTER USER svc ADD PAT app ROLE_RESTRICTION = 'READER'")
	e.srv.Inject(pattest.Fault{Match: "ROTATE", LoseResponse: true})
	_, err := e.admin.Exec("ALTER USER svc ROTATE PAT app")
	require.Error(t, err)
	// Snowflake rotated; the client never got the new secret.
	rows := showPATs(t, e.admin, "svc")
	require.Len(t, rows, 2)
	var rotated int
	for _, r := range rows {
		if r["rotated_to"] == "APP" {
			rotated++
		}
	}
	require.Equal(t, 1, rotated)
}

func TestCountsAndLatency(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.admin.Ping())
	e.srv.ResetCounts()
	e.srv.SetLatency(5 * time.Millisecond)
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	require.Equal(t, "1", queryString(t, e.admin, "SELECT 1"))
	require.NoError(t, e.login(e.srv.Config("alice", pattest.Password("pw"))))
	e.srv.SetLatency(0)
	c := e.srv.Counts()
	require.Equal(t, int64(2), c.Query)
	require.Equal(t, int64(1), c.Login)
	require.Equal(t, int64(1), c.CloseSession)
	require.Equal(t, int64(4)+c.Telemetry, c.RoundTrips()) // the driver may flush telemetry on close
	require.Equal(t, int64(1), c.Statements["CREATE USER"])
	require.Equal(t, int64(1), c.Statements["SELECT"])
}

// TestConcurrentSessions runs many sessions at once adding, rotating and
// logging in with tokens; the race detector and the final state check the
// emulator's locking.
func TestConcurrentSessions(t *testing.T) {
	e := newEnv(t)
	const users = 8
	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1', '::1')")
	for i := 0; i < users; i++ {
		e.exec(fmt.Sprintf("CREATE USER u%d PASSWORD = 'pw' NETWORK_POLICY = lo", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, users*10)
	for i := 0; i < users; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var name, secret string
			if err := e.admin.QueryRow(fmt.Sprintf("ALTER USER u%d ADD PAT t", i)).Scan(&name, &secret); err != nil {
				errs <- err
				return
			}
			for r := 0; r < 3; r++ {
				var rotated string
				if err := e.admin.QueryRow(fmt.Sprintf("ALTER USER u%d ROTATE PAT t", i)).Scan(&name, &secret, &rotated); err != nil {
					errs <- err
					return
				}
				if err := e.login(e.srv.Config(fmt.Sprintf("u%d", i), pattest.PAT(secret))); err != nil {
					errs <- err
					return
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for i := 0; i < users; i++ {
		require.Len(t, showPATs(t, e.admin, fmt.Sprintf("u%d", i)), 4)
	}
}

func TestInjectedRows(t *testing.T) {
	e := newEnv(t)
	v := "hello"
	e.srv.Inject(pattest.Fault{Match: "SHOW USERS", Rows: &pattest.Rows{Columns: []string{"greeting", "nothing"}, Values: [][]*string{{&v, nil}}}})
	var greeting, nothing sql.NullString
	require.NoError(t, e.admin.QueryRow("SHOW USERS").Scan(&greeting, &nothing))
	require.Equal(t, "hello", greeting.String)
	require.False(t, nothing.Valid)
}
