package powerbi_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/push"
)

// Test starts a refresh and reads the history, on the injected clock,
// until its own refresh is done.
func TestRefreshAsTest(t *testing.T) {
	e := newEnv(t)
	e.opts.PollInterval = 10 * time.Second
	e.fake.SetRefreshPolls(3)
	gw := e.fake.AddGateway(powerbifake.Gateway{Name: "gw", KeyBits: 1024, Admins: []string{principal}})
	id := e.model("Corp", gw)
	ctx := context.Background()
	d := e.open(e.url(id))
	require.True(t, d.SupportsTest())

	err := d.Test(ctx)
	require.ErrorIs(t, err, push.ErrRefreshFailed, "no credentials yet")
	assert.Contains(t, err.Error(), "Failed")

	_, err = d.Push(ctx, e.cred2(e.sf.AddToken(t)))
	require.NoError(t, err)
	require.NoError(t, d.Test(ctx))
	assert.Len(t, e.clock.Waits(), 6, "three polls in progress per test")
	for _, w := range e.clock.Waits() {
		assert.Equal(t, 10*time.Second, w)
	}
	assert.Equal(t, 2, e.fake.Calls(powerbifake.OpRefreshDatasetInGroup))
}
