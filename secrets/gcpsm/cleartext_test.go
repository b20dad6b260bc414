package gcpsm

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/snowpat/snowpat/internal/fakefault"
	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emulator_host connects without TLS and without authenticating the
// server, so whoever answers there gets every value: it is refused,
// before anything is sent, unless the host is loopback or the URL says
// insecure=true, which logs a warning.
func TestEmulatorHostCleartext(t *testing.T) {
	var logs bytes.Buffer
	ctx := secrets.WithLogger(context.Background(), slog.New(slog.NewJSONHandler(&logs, nil)))
	dials := &fakefault.NoDial{}
	testDialer = dials.DialAddr
	t.Cleanup(func() { testDialer = nil })

	for _, u := range []string{
		"gcpsm://projects/p/secrets/s?emulator_host=192.0.2.10:8085",
		"gcpsm://projects/p/secrets/s?emulator_host=secretmanager.example.com:443",
		"gcpsm://projects/p/secrets/s?emulator_host=192.0.2.10:8085&insecure=false",
		"gcpsm://projects/p/secrets/s?emulator_host=192.0.2.10:8085&insecure=1",
		"gcpsm://projects/p/secrets/s?emulator_host=localhost",
		"gcpsm://projects/p/secrets/s?emulator_host=:8085",
	} {
		_, err := secrets.OpenStore(ctx, u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
	assert.Empty(t, dials.Addrs(), "nothing was sent")
	assert.Empty(t, logs.String())

	// A loopback emulator needs no switch; the fake really answers there.
	srv := gcpfake.New()
	t.Cleanup(srv.Close)
	addr, err := srv.ListenTCP()
	require.NoError(t, err)
	testDialer = nil
	s, err := secrets.OpenStore(ctx, "gcpsm://projects/p/secrets/s?emulator_host="+addr)
	require.NoError(t, err)
	_, err = s.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.Empty(t, logs.String())

	// With the switch the store opens, with a warning, and connects where
	// the URL says: shown by the dialer, which connects nowhere.
	testDialer = dials.DialAddr
	s, err = secrets.OpenStore(ctx, "gcpsm://projects/p/secrets/s?emulator_host=192.0.2.10:8085&insecure=true")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	assert.Contains(t, logs.String(), `"level":"WARN"`)
	assert.Contains(t, logs.String(), `"host":"192.0.2.10"`)
	_, err = s.List(ctx)
	require.Error(t, err)
	assert.Equal(t, []string{"192.0.2.10:8085"}, dials.Addrs())
}
