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
	e.srv.Clock().Advance(25 * time.Hour)
	agree("alice", alice, false) // expired
}
