package pat

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"
)

// recordingTransport records where requests would go and sends none: a
// test sees what would leave for a remote host without reaching it.
type recordingTransport struct {
	mu    sync.Mutex
	hosts []string
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.hosts = append(r.hosts, req.URL.Scheme+"://"+req.URL.Host)
	r.mu.Unlock()
	return nil, errors.New("recorded, not sent")
}

// A token is never sent over plain HTTP to a host that is not loopback
// unless the caller allows it, and then with a warning. (Issue 17.4.)
func TestVerifyRefusesPlainHTTPToARemoteHost(t *testing.T) {
	rec := &recordingTransport{}
	base := gosnowflake.Config{Account: "xy12345", Host: "xy12345.snowflakecomputing.com", Port: 80, Protocol: "http", Transporter: rec, MaxRetryCount: 1}
	err := Verify(context.Background(), base, "SVC", NewSecret("the-token"))
	require.ErrorIs(t, err, ErrInsecureTransport)
	require.Empty(t, rec.hosts, "a request left before the refusal")

	noHost := base
	noHost.Host = ""
	require.ErrorIs(t, Verify(context.Background(), noHost, "SVC", NewSecret("the-token")), ErrInsecureTransport)

	var logs bytes.Buffer
	allow := VerifierWith(base, LoginOptions{InsecureHTTP: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.Error(t, allow(context.Background(), "SVC", NewSecret("the-token")))
	require.NotEmpty(t, rec.hosts, "allowed, the login goes out")
	require.Contains(t, rec.hosts[0], "http://xy12345.snowflakecomputing.com")
	require.Contains(t, logs.String(), "in clear")
	require.NotContains(t, logs.String(), "the-token")

	for _, h := range []string{"127.0.0.1", "localhost", "::1", "[::1]:8080", "127.1.2.3"} {
		require.True(t, IsLoopback(h), h)
	}
	for _, h := range []string{"example.com", "10.0.0.1", "0.0.0.0", "localhost.example.com"} {
		require.False(t, IsLoopback(h), h)
	}
	require.NoError(t, CheckTransport(gosnowflake.Config{Account: "a"}, LoginOptions{}), "https is the default")
}
