package pattest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// Start, Admin and NewServiceUser give a test an emulator, an
// administrator and a service user with a working token in three lines,
// all gone with the test.
func TestStart(t *testing.T) {
	srv := pattest.Start(t)
	u := srv.NewServiceUser("powerbi_service")
	require.Equal(t, "POWERBI_SERVICE", u.Name)
	require.NoError(t, srv.CheckPAT(u.Name, u.Secret))
	var n int
	require.NoError(t, srv.Admin().QueryRow("SELECT 1").Scan(&n))
	require.Equal(t, 1, n)
	// The token logs in through the driver too, restricted to the role.
	e := &env{t: t, srv: srv, admin: srv.Admin()}
	db := e.open(srv.Config(u.Name, pattest.PAT(u.Secret)))
	require.Equal(t, u.Role, queryString(t, db, "SELECT CURRENT_ROLE()"))
}
