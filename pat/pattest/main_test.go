package pattest_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env is one emulator with an administrator connection, both closed when
// the test ends.
type env struct {
	t     *testing.T
	srv   *pattest.Server
	admin *sql.DB
}

func newEnv(t *testing.T, opts ...pattest.Option) *env {
	t.Helper()
	srv := pattest.Start(t, opts...)
	return &env{t: t, srv: srv, admin: srv.Admin()}
}

// open returns a database handle for cfg, closed at the end of the test.
func (e *env) open(cfg *gosnowflake.Config) *sql.DB {
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *cfg))
	e.t.Cleanup(func() { _ = db.Close() })
	return db
}

// login opens a fresh connection with cfg and closes it again, returning
// the login error if any.
func (e *env) login(cfg *gosnowflake.Config) error {
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *cfg))
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	return conn.Close()
}

// exec runs statements as the administrator and fails the test on error.
func (e *env) exec(stmts ...string) {
	e.t.Helper()
	for _, s := range stmts {
		_, err := e.admin.Exec(s)
		require.NoError(e.t, err, s)
	}
}

// code returns the Snowflake error number of err, or -1.
func code(err error) int {
	var se *gosnowflake.SnowflakeError
	if errors.As(err, &se) {
		return se.Number
	}
	return -1
}

func requireCode(t *testing.T, err error, want int, msgContains ...string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, want, code(err), "error: %v", err)
	for _, m := range msgContains {
		require.Contains(t, err.Error(), m)
	}
}

// addPAT adds a token through db and returns its secret.
func addPAT(t *testing.T, db *sql.DB, stmt string) string {
	t.Helper()
	var name string
	var secret sql.NullString
	require.NoError(t, db.QueryRow(stmt).Scan(&name, &secret), stmt)
	require.True(t, secret.Valid, "no secret returned by %s", stmt)
	return secret.String
}

// tokenRow is one SHOW USER PROGRAMMATIC ACCESS TOKENS row, read by column
// name.
type tokenRow map[string]any

func showPATs(t *testing.T, db *sql.DB, user string) map[string]tokenRow {
	t.Helper()
	rows, err := db.Query("SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER " + user)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	out := map[string]tokenRow{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		r := tokenRow{}
		for i, c := range cols {
			r[c] = vals[i]
		}
		out[r["name"].(string)] = r
	}
	require.NoError(t, rows.Err())
	return out
}

func newKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return k
}

// serviceUser creates a SERVICE user with a network policy admitting
// loopback and a role granted, ready to be given role-restricted tokens.
func (e *env) serviceUser(name, role string) {
	e.exec(
		"CREATE NETWORK POLICY IF NOT EXISTS loopback ALLOWED_IP_LIST = ('127.0.0.1/32', '::1')",
		"CREATE ROLE IF NOT EXISTS "+role,
		fmt.Sprintf("CREATE USER %s TYPE = SERVICE DEFAULT_ROLE = %s NETWORK_POLICY = loopback", name, role),
		fmt.Sprintf("GRANT ROLE %s TO USER %s", role, name),
	)
}

func queryString(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	var s string
	require.NoError(t, db.QueryRow(q, args...).Scan(&s), q)
	return s
}

var _ = strings.ToUpper
