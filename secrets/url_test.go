package secrets_test

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	_ "github.com/snowpat/snowpat/secrets/filestore"
	_ "github.com/snowpat/snowpat/secrets/memstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURLMux(t *testing.T) {
	var m secrets.URLMux
	var got *url.URL
	m.Register("fake", func(_ context.Context, u *url.URL) (driver.Secret, error) {
		if err := secrets.CheckQuery(u, "region"); err != nil {
			return nil, err
		}
		got = u
		return &spy{}, nil
	})
	m.Register("broken", func(context.Context, *url.URL) (driver.Secret, error) {
		return nil, errors.New("cannot reach the backend")
	})
	assert.Equal(t, []string{"broken", "fake"}, m.Schemes())

	s, err := m.OpenStore(t.Context(), "FAKE://name/x?region=eu")
	require.NoError(t, err)
	assert.Equal(t, "name", got.Host)
	assert.Equal(t, "eu", got.Query().Get("region"))
	require.NoError(t, s.Close())

	for name, u := range map[string]string{
		"unknown parameter":  "fake://name?regoin=eu",
		"malformed query":    "fake://name?region=%zz",
		"unknown scheme":     "nope://x",
		"no scheme":          "just-a-name",
		"unparsable":         "fake://name%",
		"opener error":       "broken://x",
		"unparsable, secret": "fake://user:hunter2@host%",
	} {
		_, err := m.OpenStore(t.Context(), u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, name)
		assert.NotContains(t, err.Error(), "hunter2", name)
	}
	_, err = m.OpenStore(t.Context(), "nope://x")
	assert.ErrorContains(t, err, `no opener for scheme "nope" (registered: broken, fake)`)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = m.OpenStore(ctx, "fake://x")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRegisterPanics(t *testing.T) {
	var m secrets.URLMux
	op := func(context.Context, *url.URL) (driver.Secret, error) { return &spy{}, nil }
	m.Register("x", op)
	assert.Panics(t, func() { m.Register("x", op) }, "duplicate")
	assert.Panics(t, func() { m.Register("Upper", op) }, "uppercase")
	assert.Panics(t, func() { m.Register("", op) }, "empty")
	assert.Panics(t, func() { m.Register("1x", op) }, "leading digit")
	assert.Panics(t, func() { m.Register("y", nil) }, "nil opener")
	assert.NotPanics(t, func() { m.Register("a+b.c-d", op) })
}

// Importing memstore and filestore registers their schemes on the default
// mux; the same "mem" URL opens the same secret twice.
func TestDefaultSchemes(t *testing.T) {
	ctx := t.Context()
	assert.Subset(t, secrets.DefaultURLMux().Schemes(), []string{"file", "mem"})

	a, err := secrets.OpenStore(ctx, "mem://url-test/shared")
	require.NoError(t, err)
	b, err := secrets.OpenStore(ctx, "mem://url-test/shared")
	require.NoError(t, err)
	id, err := a.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	cur, err := b.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	require.NoError(t, a.Delete(ctx))

	dir := filepath.Join(t.TempDir(), "svc")
	f, err := secrets.OpenStore(ctx, "file://"+filepath.ToSlash(dir))
	require.NoError(t, err)
	_, err = f.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	assert.DirExists(t, dir)

	for _, u := range []string{"mem://x?a=1", "file:///tmp/x?mode=0600", "mem://", "file://host/tmp/x", "file:relative", "file:///", "mem://u@x"} {
		_, err := secrets.OpenStore(ctx, u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
}
