package pat

import (
	"context"
	"database/sql"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// emu is one pattest emulator with an administrator Client. The emulator
// is an independent implementation of Snowflake's rules, so these tests
// check our SQL, quoting and parsing against a second reading of the
// reference rather than against themselves.
type emu struct {
	t      *testing.T
	srv    *pattest.Server
	admin  *sql.DB
	client *Client
}

func newEmu(t *testing.T, opts ...pattest.Option) *emu {
	t.Helper()
	srv := pattest.Start(t, opts...)
	e := &emu{t: t, srv: srv, admin: srv.Admin()}
	e.client = NewClient(e.admin)
	return e
}

func (e *emu) open(cfg *gosnowflake.Config) *sql.DB {
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *cfg))
	e.t.Cleanup(func() { _ = db.Close() })
	return db
}

// exec runs setup statements the Client does not offer (roles, network
// policies, person users) as the administrator.
func (e *emu) exec(stmts ...string) {
	e.t.Helper()
	for _, s := range stmts {
		_, err := e.admin.Exec(s)
		require.NoError(e.t, err, s)
	}
}

// login opens one fresh connection as user and reports the login error,
// classified the way callers of this package see it.
func (e *emu) login(user string, auth pattest.Auth) error {
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *e.srv.Config(user, auth)))
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return mapError(err)
	}
	return conn.Close()
}

// serviceUser sets up what a service user needs to be given tokens: a
// network policy admitting loopback and a granted role, using the Client
// where it can.
func (e *emu) serviceUser(name, role string) {
	e.t.Helper()
	e.exec(
		"CREATE NETWORK POLICY IF NOT EXISTS LOOPBACK ALLOWED_IP_LIST = ('127.0.0.1/32', '::1')",
		`CREATE ROLE IF NOT EXISTS "`+role+`"`,
	)
	ctx := context.Background()
	require.NoError(e.t, e.client.CreateServiceUser(ctx, ServiceUser{Name: name, DefaultRole: role, NetworkPolicy: "LOOPBACK"}))
	require.NoError(e.t, e.client.GrantRole(ctx, role, name))
}

// personUser creates a PERSON user with a password and the loopback policy.
func (e *emu) personUser(name string) {
	e.t.Helper()
	e.exec(
		"CREATE NETWORK POLICY IF NOT EXISTS LOOPBACK ALLOWED_IP_LIST = ('127.0.0.1/32', '::1')",
		`CREATE USER "`+name+`" PASSWORD = 'pw' NETWORK_POLICY = LOOPBACK`,
	)
}

// statements counts the statements the emulator has run, to prove that a
// refused call sent none.
func (e *emu) statements() int64 {
	var n int64
	for _, c := range e.srv.Counts().Statements {
		n += c
	}
	return n
}
