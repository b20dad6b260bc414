package push_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/driver"
	_ "github.com/snowpat/snowpat/push/powerbi"
	_ "github.com/snowpat/snowpat/push/tableau"
)

// URLs no adapter can open are refused with ErrInvalidArgument, naming
// the URL without user info or query.
func TestOpenRefuses(t *testing.T) {
	for _, c := range []struct{ url, says string }{
		{"looker://host/x", `no opener for scheme "looker" (registered: powerbi, tableau)`},
		{"no-scheme/x", "no scheme"},
		{"tableau://u:hunter2@host/default/datasources/x", "credentials do not belong"},
		{"tableau://host/%zz?credentials=hunter2", "cannot parse"},
		{"://host?token=hunter2", "cannot parse"},
	} {
		_, err := push.Open(context.Background(), c.url, nil)
		require.ErrorIs(t, err, push.ErrInvalidArgument, c.url)
		assert.Contains(t, err.Error(), c.says)
		assert.NotContains(t, err.Error(), "hunter2")
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := push.Open(cctx, "tableau://host/default/datasources/x", nil)
	require.ErrorIs(t, err, context.Canceled)
}

// Registration mistakes are programming errors, caught at init.
func TestRegisterPanics(t *testing.T) {
	var m push.URLMux
	op := push.Opener(func(context.Context, *url.URL, push.Options) (driver.Destination, error) { return nil, nil })
	assert.Panics(t, func() { m.Register("Bad", op) })
	assert.Panics(t, func() { m.Register("ok", nil) })
	m.Register("ok", op)
	assert.Panics(t, func() { m.Register("ok", op) })
	assert.Equal(t, []string{"ok"}, m.Schemes())
}
