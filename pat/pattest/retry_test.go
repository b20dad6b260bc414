package pattest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// TestDriverRetryDoesNotRotateTwice: the real gosnowflake driver retries a
// query-request after a 503 with the same requestId; the emulator answers
// the retry with the first rotation's result, so the token is rotated once
// and the caller gets the secret that is live.
func TestDriverRetryDoesNotRotateTwice(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')", "CREATE USER alice PASSWORD = 'pw' NETWORK_POLICY = lo")
	addPAT(t, e.admin, "ALTER USER alice ADD PAT t")
	e.srv.Inject(pattest.Fault{Match: "ROTATE", LoseResponse: true, LoseStatus: http.StatusServiceUnavailable})

	var name, secret, rotated string
	require.NoError(t, e.admin.QueryRow("ALTER USER alice ROTATE PAT t").Scan(&name, &secret, &rotated))
	assert.EqualValues(t, 1, e.srv.Counts().Replayed, "the driver retried and got the recorded answer")

	toks := showPATs(t, e.admin, "alice")
	require.Len(t, toks, 2, "rotated once: T and one _ROTATED_ token")
	assert.Contains(t, toks, rotated)
	assert.True(t, strings.HasPrefix(rotated, "T_ROTATED_"))
	require.NoError(t, e.login(e.srv.Config("ALICE", pattest.PAT(secret))), "the returned secret is the live one")
}
