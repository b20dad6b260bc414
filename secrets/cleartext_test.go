package secrets_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsLoopback(t *testing.T) {
	for _, h := range []string{"localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"} {
		assert.True(t, secrets.IsLoopback(h), h)
	}
	for _, h := range []string{
		"", "192.0.2.10", "10.0.0.1", "0.0.0.0", "::", "[::1]", "127.0.0.1:80", "2001:db8::1",
		"localhost.example.com", "evil-localhost", "foo.localhost", "128.0.0.1", "vault.example.com",
	} {
		assert.False(t, secrets.IsLoopback(h), h)
	}
}

func TestParseInsecure(t *testing.T) {
	for q, want := range map[string]bool{"": false, "insecure=false": false, "insecure=true": true} {
		got, err := secrets.ParseInsecure(&url.URL{RawQuery: q})
		require.NoError(t, err, q)
		assert.Equal(t, want, got, q)
	}
	for _, q := range []string{"insecure=1", "insecure=TRUE", "insecure=yes"} {
		_, err := secrets.ParseInsecure(&url.URL{RawQuery: q})
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, q)
	}
}

// A cleartext connection is allowed to loopback without a word, refused
// elsewhere with a message that says how to accept it, and accepted
// elsewhere only with the switch, which logs a warning on the context's
// logger.
func TestCleartextCheck(t *testing.T) {
	var buf bytes.Buffer
	ctx := secrets.WithLogger(context.Background(), slog.New(slog.NewJSONHandler(&buf, nil)))
	c := secrets.Cleartext{Scheme: "x", Risk: "the endpoint is plain http", Allow: "add insecure=true to the URL"}

	for _, h := range []string{"127.0.0.1", "localhost", "::1"} {
		c.Host = h
		require.NoError(t, c.Check(ctx), h)
	}
	assert.Empty(t, buf.String(), "loopback is not worth a warning")

	c.Host = "192.0.2.10"
	err := c.Check(ctx)
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.ErrorContains(t, err, `x: the endpoint is plain http, and "192.0.2.10" is not a loopback host`)
	assert.ErrorContains(t, err, "add insecure=true to the URL")
	assert.Empty(t, buf.String())

	c.Insecure = true
	require.NoError(t, c.Check(ctx))
	assert.Contains(t, buf.String(), `"level":"WARN"`)
	assert.Contains(t, buf.String(), `"host":"192.0.2.10"`)
	assert.Contains(t, buf.String(), `"scheme":"x"`)
}

func TestLogger(t *testing.T) {
	assert.Same(t, slog.Default(), secrets.Logger(context.Background()))
	assert.Same(t, slog.Default(), secrets.Logger(secrets.WithLogger(context.Background(), nil)))
	l := slog.New(slog.DiscardHandler)
	assert.Same(t, l, secrets.Logger(secrets.WithLogger(context.Background(), l)))
}
