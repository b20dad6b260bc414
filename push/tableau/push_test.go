package tableau_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
)

func patSecretOf(s string) pat.Secret { return pat.NewSecret(s) }

// A data source and a workbook refresh with the old token, stop when it
// dies, and refresh again once the new token is pushed.
func TestPushRefreshes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	old := e.sf.AddToken(t)
	ds := e.datasource("Sales", true)
	wb := e.fake.AddWorkbook(site, tableaufake.Content{Name: "Revenue", Owner: admin, HasExtracts: true,
		Connections: []tableaufake.Connection{
			{Type: "snowflake", ServerAddress: e.sf.Host(), EmbedPassword: true},
			{Type: "sqlproxy", ServerAddress: "localhost", Datasource: "Sales"},
		}})

	for _, u := range []string{e.url("datasources", "Sales"), e.url("workbooks", "Revenue")} {
		_, err := e.open(u).Push(ctx, push.Credential{Account: e.sf.Account(), User: e.sf.User, Secret: old})
		require.NoError(t, err, u)
	}
	require.NoError(t, e.fake.Refresh(ctx))

	fresh := e.sf.Rotate(t)
	require.Error(t, e.fake.RefreshContent(ctx, ds), "the old token is dead")
	require.Error(t, e.fake.RefreshContent(ctx, wb))

	for _, u := range []string{e.url("datasources", ds), e.url("workbooks", "Revenue")} {
		res, err := e.open(u).Push(ctx, push.Credential{Account: e.sf.Account(), User: e.sf.User, Secret: fresh})
		require.NoError(t, err, u)
		require.Len(t, res.Connections, 1, "only the Snowflake connection is written")
	}
	require.NoError(t, e.fake.Refresh(ctx))
	c := e.fake.Connections(ds)[0]
	assert.Equal(t, fresh.Reveal(), c.Password)
	assert.True(t, c.EmbedPassword)
	assert.Zero(t, e.fake.Sessions(), "every push signs out")
}
