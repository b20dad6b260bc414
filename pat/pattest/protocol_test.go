package pattest_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// The tests in this file speak HTTP to the emulator directly, the way the
// official drivers other than gosnowflake do, so that no driver hides a
// protocol difference. Each names the driver source the habit comes from.

// rawClient is one driver-like HTTP client: a style of headers, query
// parameters and body encoding.
type rawClient struct {
	t      *testing.T
	srv    *pattest.Server
	http   *http.Client
	gzip   bool              // Python connector: every non-empty body gzipped (network.py)
	header map[string]string // driver's fixed headers
	token  string            // session token
	master string
}

// pythonStyle is the Python connector: gzip bodies, Accept
// application/snowflake, request_guid on every request (network.py).
func pythonStyle(t *testing.T, srv *pattest.Server) *rawClient {
	return &rawClient{t: t, srv: srv, http: &http.Client{}, gzip: true, header: map[string]string{
		"Content-Type": "application/json", "Accept": "application/snowflake",
		"User-Agent": "PythonConnector/3.17.0 (Linux) CPython/3.12.3",
	}}
}

// nodeStyle is the Node driver: plain JSON bodies, requestId only
// (statement.js).
func nodeStyle(t *testing.T, srv *pattest.Server) *rawClient {
	return &rawClient{t: t, srv: srv, http: &http.Client{}, header: map[string]string{
		"Content-Type": "application/json", "Accept": "application/json",
		"User-Agent": "JavaScript/2.1.0 (Linux-x64) NodeJS/22.0.0",
	}}
}

// post sends body (JSON-encoded, gzipped in Python style) to path?query and
// returns the status and the decoded answer.
func (c *rawClient) post(path string, query url.Values, body any, auth string) (int, map[string]any, []byte) {
	c.t.Helper()
	var payload []byte
	if body != nil {
		var err error
		payload, err = json.Marshal(body)
		require.NoError(c.t, err)
	}
	req, err := http.NewRequest(http.MethodPost, c.srv.URL()+path+"?"+query.Encode(), nil)
	require.NoError(c.t, err)
	if len(payload) > 0 && c.gzip {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(payload)
		require.NoError(c.t, zw.Close())
		req.Body = io.NopCloser(&b)
		req.Header.Set("Content-Encoding", "gzip")
	} else if len(payload) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(payload))
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if auth != "" {
		req.Header.Set("Authorization", `Snowflake Token="`+auth+`"`)
	}
	res, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	var out map[string]any
	if res.StatusCode == http.StatusOK {
		require.NoError(c.t, json.Unmarshal(raw, &out), string(raw))
	}
	return res.StatusCode, out, raw
}

func guid() string { return time.Now().Format("150405.000000000") }

// login logs user in with a password. Python sends request_id (sic) and
// request_guid; both drivers send databaseName/schemaName/warehouse/roleName.
func (c *rawClient) login(user, password string, sessionParams map[string]any) map[string]any {
	c.t.Helper()
	q := url.Values{"request_id": {"r-" + guid()}, "request_guid": {"g-" + guid()},
		"databaseName": {""}, "schemaName": {""}, "warehouse": {""}, "roleName": {""}}
	data := map[string]any{"ACCOUNT_NAME": c.srv.Account(), "LOGIN_NAME": user, "PASSWORD": password,
		"CLIENT_APP_ID": "PythonConnector", "CLIENT_APP_VERSION": "3.17.0"}
	if sessionParams != nil {
		data["SESSION_PARAMETERS"] = sessionParams
	}
	status, out, raw := c.post("/session/v1/login-request", q, map[string]any{"data": data}, "")
	require.Equal(c.t, http.StatusOK, status, string(raw))
	require.Equal(c.t, true, out["success"], string(raw))
	d := out["data"].(map[string]any)
	c.token, c.master = d["token"].(string), d["masterToken"].(string)
	return d
}

// query runs sql with requestId id, as both drivers do.
func (c *rawClient) query(sql, id string, extra url.Values) (int, map[string]any, []byte) {
	c.t.Helper()
	q := url.Values{"requestId": {id}}
	if c.gzip {
		q.Set("request_guid", "g-"+guid())
	}
	for k, v := range extra {
		q[k] = v
	}
	return c.post("/queries/v1/query-request", q, map[string]any{"sqlText": sql, "asyncExec": false, "sequenceId": 1, "queryContextDTO": map[string]any{}}, c.token)
}

// params turns a response's "parameters" array into a map.
func params(t *testing.T, data map[string]any) map[string]any {
	t.Helper()
	list, ok := data["parameters"].([]any)
	require.True(t, ok, "parameters must be an array")
	out := map[string]any{}
	for _, p := range list {
		m := p.(map[string]any)
		out[m["name"].(string)] = m["value"]
	}
	return out
}

func newPasswordUser(t *testing.T) (*env, string) {
	e := newEnv(t, pattest.WithSessionValidity(time.Hour, 0))
	e.exec("CREATE USER alice PASSWORD = 'pw'")
	return e, "ALICE"
}

// TestGzipBodiesOnEveryEndpoint: the Python connector gzips every non-empty
// body (network.py sets Content-Encoding: gzip); login, query, session
// renewal and session delete must read it. Before issue 15 each answered
// HTTP 400.
func TestGzipBodiesOnEveryEndpoint(t *testing.T) {
	e, user := newPasswordUser(t)
	c := pythonStyle(t, e.srv)
	c.login(user, "pw", nil)

	status, out, raw := c.query("SELECT CURRENT_USER()", "q-1", nil)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.Equal(t, true, out["success"], string(raw))

	// Session renewal (390112 then token-request with the master token).
	e.srv.FakeClock().Step(2 * time.Hour)
	_, out, _ = c.query("SELECT 1", "q-2", nil)
	require.Equal(t, "390112", out["code"])
	status, out, raw = c.post("/session/token-request", url.Values{"requestId": {"r-renew"}},
		map[string]any{"oldSessionToken": c.token, "requestType": "RENEW"}, c.master)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.Equal(t, true, out["success"], string(raw))
	c.token = out["data"].(map[string]any)["sessionToken"].(string)
	_, out, _ = c.query("SELECT 1", "q-3", nil)
	require.Equal(t, true, out["success"])

	// Heartbeat: the Python connector posts it without a body.
	status, out, _ = c.post("/session/heartbeat", url.Values{"requestId": {"r-hb"}}, nil, c.token)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, true, out["success"])

	// Delete: a gzipped "{}".
	open := e.srv.Sessions()
	status, out, _ = c.post("/session", url.Values{"delete": {"true"}}, map[string]any{}, c.token)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, true, out["success"])
	assert.Equal(t, open-1, e.srv.Sessions())

	// An encoding the emulator cannot read is refused, not misread.
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+"/session/v1/login-request", bytes.NewReader([]byte("x")))
	require.NoError(t, err)
	req.Header.Set("Content-Encoding", "br")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
}

// TestSessionParameters: login and query responses carry the session's
// parameters as a fresh Snowflake session reports them (gosnowflake fixture
// select1.json); the login request's SESSION_PARAMETERS and ALTER SESSION
// change them. Before issue 15 both sent "parameters": [].
func TestSessionParameters(t *testing.T) {
	e, user := newPasswordUser(t)
	c := nodeStyle(t, e.srv)
	p := params(t, c.login(user, "pw", nil))
	assert.Equal(t, "America/Los_Angeles", p["TIMEZONE"])
	assert.Equal(t, "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM", p["TIMESTAMP_OUTPUT_FORMAT"])
	assert.Equal(t, "", p["TIMESTAMP_LTZ_OUTPUT_FORMAT"])
	assert.Equal(t, "YYYY-MM-DD HH24:MI:SS.FF3", p["TIMESTAMP_NTZ_OUTPUT_FORMAT"])
	assert.Equal(t, "YYYY-MM-DD", p["DATE_OUTPUT_FORMAT"])
	assert.Equal(t, "HH24:MI:SS", p["TIME_OUTPUT_FORMAT"])
	assert.Equal(t, false, p["CLIENT_SESSION_KEEP_ALIVE"])
	assert.EqualValues(t, 3600, p["CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY"])

	// The Node driver asks for keep-alive in SESSION_PARAMETERS.
	c2 := nodeStyle(t, e.srv)
	p = params(t, c2.login(user, "pw", map[string]any{"CLIENT_SESSION_KEEP_ALIVE": true, "TIMEZONE": "UTC", "NOT_MODELLED": 1}))
	assert.Equal(t, true, p["CLIENT_SESSION_KEEP_ALIVE"])
	assert.Equal(t, "UTC", p["TIMEZONE"])

	_, out, raw := c.query("ALTER SESSION SET TIMEZONE = 'Europe/Paris', TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD'", "a-1", nil)
	require.Equal(t, true, out["success"], string(raw))
	_, out, _ = c.query("SELECT 1", "a-2", nil)
	p = params(t, out["data"].(map[string]any))
	assert.Equal(t, "Europe/Paris", p["TIMEZONE"])
	assert.Equal(t, "YYYY-MM-DD", p["TIMESTAMP_LTZ_OUTPUT_FORMAT"])

	_, out, _ = c.query("ALTER SESSION UNSET TIMEZONE", "a-3", nil)
	require.Equal(t, true, out["success"])
	_, out, _ = c.query("SELECT 1", "a-4", nil)
	assert.Equal(t, "America/Los_Angeles", params(t, out["data"].(map[string]any))["TIMEZONE"])

	for _, bad := range []string{"ALTER SESSION SET TIMEZONE = 'Mars/Olympus'", "ALTER SESSION SET NO_SUCH_PARAMETER = 1",
		"ALTER SESSION SET CLIENT_SESSION_KEEP_ALIVE = 'maybe'"} {
		_, out, _ = c.query(bad, "bad-"+bad, nil)
		assert.Equal(t, false, out["success"], bad)
		assert.Equal(t, pattest.CodeInvalidValue, out["code"], bad)
	}
}

// TestRetriedRequestIDAnswersOnce: every driver keeps a statement's
// requestId across its retries (gosnowflake retry.go adds retryCount and
// retryReason; the Python connector renews request_guid only). The
// emulator answers a repeated requestId with the first answer and does not
// run the statement again — after a lost answer (400) and after a 5xx
// that the driver retries.
func TestRetriedRequestIDAnswersOnce(t *testing.T) {
	for _, lose := range []int{0, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(max(lose, 400)), func(t *testing.T) {
			e, user := newPasswordUser(t)
			c := pythonStyle(t, e.srv)
			c.login(user, "pw", nil)
			e.srv.Inject(pattest.Fault{Match: "ADD PAT", LoseResponse: true, LoseStatus: lose})

			status, _, _ := c.query("ALTER USER ADD PAT t", "req-1", nil)
			require.NotEqual(t, http.StatusOK, status, "the first answer is lost")
			status, first, raw := c.query("ALTER USER ADD PAT t", "req-1", url.Values{"retryCount": {"1"}, "retryReason": {"503"}})
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, true, first["success"], string(raw))
			_, again, raw2 := c.query("ALTER USER ADD PAT t", "req-1", url.Values{"retryCount": {"2"}})
			assert.Equal(t, raw, raw2, "byte for byte the first answer")
			assert.Equal(t, first["data"].(map[string]any)["queryId"], again["data"].(map[string]any)["queryId"])
			assert.EqualValues(t, 2, e.srv.Counts().Replayed)

			// One token, not two; a new requestId runs again and meets it.
			assert.Len(t, showPATs(t, e.admin, "alice"), 1)
			_, out, _ := c.query("ALTER USER ADD PAT t", "req-2", nil)
			assert.Equal(t, pattest.CodeAlreadyExists, out["code"])
		})
	}
}

// TestLoginFailureShape: a refused login is HTTP 200 with success false and
// data null, except an unusable PAT, whose data names the next action
// (gosnowflake fixtures auth/password/invalid_password.json and
// auth/pat/invalid_token.json).
func TestLoginFailureShape(t *testing.T) {
	e, user := newPasswordUser(t)
	c := nodeStyle(t, e.srv)
	login := func(data map[string]any) map[string]any {
		data["ACCOUNT_NAME"], data["LOGIN_NAME"] = e.srv.Account(), user
		status, out, raw := c.post("/session/v1/login-request", url.Values{"requestId": {"r"}}, map[string]any{"data": data}, "")
		require.Equal(t, http.StatusOK, status, string(raw))
		require.Equal(t, false, out["success"])
		return out
	}
	out := login(map[string]any{"PASSWORD": "wrong"})
	assert.Equal(t, pattest.CodeBadPassword, out["code"])
	assert.Equal(t, "Incorrect username or password was specified.", out["message"])
	assert.Nil(t, out["data"])

	out = login(map[string]any{"AUTHENTICATOR": "PROGRAMMATIC_ACCESS_TOKEN", "TOKEN": "not-a-token"})
	assert.Equal(t, pattest.CodeInvalidPAT, out["code"])
	assert.Equal(t, "Programmatic access token is invalid.", out["message"])
	assert.Equal(t, map[string]any{"nextAction": "RETRY_LOGIN", "authnMethod": "PAT", "signInOptions": map[string]any{}}, out["data"])
}
