package pattest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// CheckPAT decides as a login through the driver does, in every state a
// token can be in.
func TestCheckPATAgreesWithLogin(t *testing.T) {
	e := newEnv(t)
	e.exec(
		"CREATE NETWORK POLICY loopback ALLOWED_IP_LIST = ('127.0.0.1')",
		"CREATE USER alice NETWORK_POLICY = loopback",
		"CREATE USER carol NETWORK_POLICY = loopback",
	)
	alice := addPAT(t, e.admin, "ALTER USER alice ADD PAT a1 DAYS_TO_EXPIRY = 1")
	carol := addPAT(t, e.admin, "ALTER USER carol ADD PAT c1")
	disabled := addPAT(t, e.admin, "ALTER USER alice ADD PAT a2")
	e.exec("ALTER USER alice MODIFY PAT a2 SET DISABLED = TRUE")
	agree := func(user, secret string, works bool) {
		t.Helper()
		login := e.login(e.srv.Config(user, pattest.PAT(secret)))
		check := e.srv.CheckPAT(user, secret)
		require.Equal(t, works, login == nil, "login: %v", login)
		require.Equal(t, works, check == nil, "check: %v", check)
	}
	agree("alice", alice, true)
	agree("carol", alice, false) // another user's token
	agree("carol", carol, true)
	agree("alice", disabled, false)
	agree("alice", "not-a-token", false)
	e.srv.FakeClock().Step(25 * time.Hour)
	agree("alice", alice, false) // expired
}

// PATs lists what SHOW lists.
func TestPATsAgreesWithShow(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE NETWORK POLICY loopback ALLOWED_IP_LIST = ('127.0.0.1')", "CREATE USER alice NETWORK_POLICY = loopback")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT a1 DAYS_TO_EXPIRY = 1 COMMENT = 'first'")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT a2")
	e.exec("ALTER USER alice ROTATE PAT a2", "ALTER USER alice MODIFY PAT a2 SET DISABLED = TRUE")
	e.srv.FakeClock().Step(25 * time.Hour)
	rows, err := e.admin.Query("SHOW USER PATS FOR USER alice")
	require.NoError(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	shown := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := map[string]any{}
		for i, c := range cols {
			row[c] = vals[i]
		}
		shown[row["name"].(string)] = row["status"].(string)
	}
	got := map[string]string{}
	for _, p := range e.srv.PATs("ALICE") {
		got[p.Name] = p.Status
	}
	require.Equal(t, shown, got)
	require.Len(t, got, 3)
	require.Nil(t, e.srv.PATs("NOBODY"))
}
