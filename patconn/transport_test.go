package patconn_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets/memstore"
)

type recordingTransport struct {
	mu    sync.Mutex
	hosts []string
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.hosts = append(r.hosts, req.URL.Host)
	r.mu.Unlock()
	return nil, errors.New("recorded, not sent")
}

// A connector never sends a token over plain HTTP to a host that is not
// loopback unless told to, and then warns. (Issue 17.4.)
func TestConnectorRefusesPlainHTTPToARemoteHost(t *testing.T) {
	store := memstore.OpenStore(t.Name())
	_, err := store.Put(context.Background(), []byte("a-token-value"), nil)
	require.NoError(t, err)
	rec := &recordingTransport{}
	cfg := gosnowflake.Config{Account: "xy12345", User: "SVC", Host: "xy12345.snowflakecomputing.com", Protocol: "http", Transporter: rec, MaxRetryCount: 1}
	_, err = patconn.NewConnector(cfg, store, patconn.Options{})
	require.ErrorIs(t, err, pat.ErrInsecureTransport)

	var logs bytes.Buffer
	conn, err := patconn.NewConnector(cfg, store, patconn.Options{InsecureHTTP: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	require.Error(t, db.PingContext(context.Background()))
	require.NotEmpty(t, rec.hosts, "allowed, the login goes out")
	require.Contains(t, logs.String(), "in clear")
	require.NotContains(t, logs.String(), "a-token-value")
}
