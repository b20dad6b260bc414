package tableau_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
)

// Test refreshes the extract and polls its job on the injected clock; a
// live data source, or a workbook without an extract, cannot be tested.
func TestRefreshAsTest(t *testing.T) {
	e := newEnv(t)
	e.opts.PollInterval = 3 * time.Second
	e.fake.SetJobPolls(2)
	e.datasource("Extract", true)
	e.datasource("Live", false)
	e.fake.AddWorkbook(site, tableaufake.Content{Name: "Live book", Owner: admin,
		Connections: []tableaufake.Connection{{Type: "snowflake", ServerAddress: e.sf.Host()}}})
	secret := e.sf.AddToken(t)
	ctx := context.Background()

	d := e.open(e.url("datasources", "Extract"))
	require.True(t, d.SupportsTest())
	require.ErrorIs(t, d.Test(ctx), push.ErrRefreshFailed, "the old credential")
	_, err := d.Push(ctx, e.cred(secret.Reveal()))
	require.NoError(t, err)
	require.NoError(t, d.Test(ctx))
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, e.clock.Waits(), "two polls in progress per test")

	err = e.open(e.url("datasources", "Live")).Test(ctx)
	require.ErrorIs(t, err, push.ErrUnsupported)
	assert.Contains(t, err.Error(), "live connection")
	require.ErrorIs(t, e.open(e.url("workbooks", "Live book")).Test(ctx), push.ErrUnsupported)
	assert.Zero(t, e.fake.Sessions())
}
