package awssm

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/snowpat/snowpat/internal/fakefault"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// interceptDials makes every connection of a store opened by URL fail
// before it is made, recording where it would have gone.
func interceptDials(t *testing.T) *fakefault.NoDial {
	d := &fakefault.NoDial{}
	testDial = d.Dial
	t.Cleanup(func() { testDial = nil })
	return d
}

// A plain-http endpoint would carry the value, the request signature and
// the session token in clear: it is refused, before anything is sent,
// unless its host is loopback or the URL says insecure=true, which logs a
// warning. An endpoint from the environment is held to the same rule.
func TestEndpointCleartext(t *testing.T) {
	offlineCredentials(t)
	t.Setenv("AWS_SESSION_TOKEN", "session-token-in-clear")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "")
	var logs bytes.Buffer
	ctx := secrets.WithLogger(context.Background(), slog.New(slog.NewJSONHandler(&logs, nil)))
	dials := interceptDials(t)

	for _, u := range []string{
		"awssm://bi/p?region=eu-west-1&endpoint=http://192.0.2.10:4566",
		"awssm://bi/p?region=eu-west-1&endpoint=http://sm.example.com",
		"awssm://bi/p?region=eu-west-1&endpoint=http://192.0.2.10:4566&insecure=false",
		"awssm://bi/p?region=eu-west-1&endpoint=http://127.0.0.1.example.com",
		"awssm://bi/p?region=eu-west-1&endpoint=127.0.0.1:4566",
		"awssm://bi/p?region=eu-west-1&endpoint=ftp://127.0.0.1",
		"awssm://bi/p?region=eu-west-1&endpoint=http://user:pw@127.0.0.1",
		"awssm://bi/p?region=eu-west-1&endpoint=http://127.0.0.1&insecure=yes",
	} {
		_, err := secrets.OpenStore(ctx, u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
		if err != nil {
			assert.NotContains(t, err.Error(), "pw", u)
		}
	}
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://192.0.2.10:4566")
	_, err := secrets.OpenStore(ctx, "awssm://bi/p?region=eu-west-1")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument, "an endpoint set in the environment")
	assert.ErrorContains(t, err, "insecure=true")
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "")
	assert.Empty(t, dials.Addrs(), "nothing was sent")
	assert.Empty(t, logs.String())

	// Loopback and https need no switch and earn no warning.
	for _, u := range []string{
		"awssm://bi/p?region=eu-west-1&endpoint=http://127.0.0.1:4566",
		"awssm://bi/p?region=eu-west-1&endpoint=http://localhost:4566",
		"awssm://bi/p?region=eu-west-1&endpoint=http://[::1]:4566",
		"awssm://bi/p?region=eu-west-1&endpoint=https://192.0.2.10",
	} {
		s, err := secrets.OpenStore(ctx, u)
		require.NoError(t, err, u)
		require.NoError(t, s.Close())
	}
	assert.Empty(t, logs.String())

	// With the switch the store opens, with a warning, and its requests
	// go where the URL says: shown by the dialer, which connects nowhere.
	s, err := secrets.OpenStore(ctx, "awssm://bi/p?region=eu-west-1&endpoint=http://192.0.2.10:4566&insecure=true")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	assert.Contains(t, logs.String(), `"level":"WARN"`)
	assert.Contains(t, logs.String(), `"host":"192.0.2.10"`)
	_, err = s.Current(ctx)
	require.Error(t, err)
	assert.Equal(t, []string{"192.0.2.10:4566"}, dials.Addrs())
}
