package main

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Readiness follows setReady and goes off at stop; liveness is on while
// the server runs; without --listen there is no server and no metrics.
func TestProbes(t *testing.T) {
	f := serveFlags{listen: "127.0.0.1:0"}
	s, err := f.start(slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	status := func(path string) int {
		resp, err := hc.Get("http://" + s.addr.String() + path)
		if err != nil {
			return 0
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, status("/healthz"))
	assert.Equal(t, http.StatusServiceUnavailable, status("/readyz"))
	s.setReady(true)
	assert.Equal(t, http.StatusOK, status("/readyz"))
	assert.Equal(t, http.StatusOK, status("/metrics"))
	assert.Equal(t, http.StatusNotFound, status("/"))
	assert.NotNil(t, s.meterProvider())
	s.stop()
	assert.Equal(t, 0, status("/healthz"), "stopped")

	var none *server
	none.setReady(true)
	none.stop()
	assert.Nil(t, none.meterProvider())
	off, err := (&serveFlags{}).start(nil)
	require.NoError(t, err)
	assert.Nil(t, off)
}
