package powerbi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/push"
)

// Get Gateway of a cloud connection answers 404 or without a name,
// depending on whom Microsoft's samples believe; both are the cloud.
func TestCloudGatewayAnswers(t *testing.T) {
	for _, a := range []powerbifake.CloudGatewayAnswer{powerbifake.CloudNotFound, powerbifake.CloudNameless} {
		e := newEnv(t)
		e.fake.SetCloudGatewayAnswer(a)
		id := e.model("Cloud", e.fake.AddCloudGateway())
		secret := e.sf.AddToken(t)
		res, err := e.open(e.url(id)).Push(context.Background(), e.cred2(secret))
		require.NoError(t, err)
		assert.Equal(t, "cloud", res.Connections[0].Via)
		require.NoError(t, e.fake.RefreshDataset(context.Background(), id))
	}
}

// A model mixing a cloud source, a gateway source and a SQL source gets
// both Snowflake sources written; Inspect shows how each is reached.
func TestMixedModel(t *testing.T) {
	e := newEnv(t)
	cloud := e.fake.AddCloudGateway()
	gw := e.fake.AddGateway(powerbifake.Gateway{Name: "corp-gw", Admins: []string{principal}})
	id := e.fake.AddDataset(e.ws, powerbifake.Dataset{Name: "Mixed", Owner: principal, Datasources: []powerbifake.Datasource{
		{Gateway: cloud, Type: "Snowflake", Server: e.sf.Host()},
		{Gateway: gw, Type: "Sql", Server: "sql.corp"},
		{Gateway: gw, Type: "Snowflake", Server: e.sf.Host() + ":443"},
	}})
	d := e.open(e.url(id))
	plan, err := d.Inspect(context.Background(), e.sf.Account())
	require.NoError(t, err)
	require.Len(t, plan.Connections, 2)
	assert.Equal(t, []string{"cloud", "gateway corp-gw"}, []string{plan.Connections[0].Via, plan.Connections[1].Via})
	assert.Zero(t, e.fake.Calls(powerbifake.OpUpdateDatasource))

	secret := e.sf.AddToken(t)
	_, err = d.Push(context.Background(), e.cred2(secret))
	require.NoError(t, err)
	require.NoError(t, e.fake.RefreshDataset(context.Background(), id))
}

// A gateway key that does not parse, a principal that is not a gateway
// admin, or a model the principal may not read: typed errors, nothing
// written.
func TestGatewayRefusals(t *testing.T) {
	e := newEnv(t)
	secret := e.sf.AddToken(t)
	ctx := context.Background()
	for _, bad := range []string{"not base64!", "AQAB"} { // garbage; a 24-bit modulus
		gw := e.fake.AddGateway(powerbifake.Gateway{Name: "gw", KeyBits: 1024, Admins: []string{principal}})
		e.fake.CorruptGatewayKey(gw, bad)
		d := e.open(e.url(e.model("Bad key", gw)))
		_, err := d.Push(ctx, e.cred2(secret))
		require.ErrorIs(t, err, push.ErrInvalidArgument)
		assert.Contains(t, err.Error(), d.Identity())
		assert.Contains(t, err.Error(), "public key")
		_, err = d.Inspect(ctx, e.sf.Account())
		require.ErrorIs(t, err, push.ErrInvalidArgument, "the dry run reports it too")
	}

	// Not an admin: the gateway is invisible (404), so the source looks
	// like a cloud one; the update is then refused, 403.
	other := e.fake.AddGateway(powerbifake.Gateway{Name: "hr-gw", Admins: []string{"someone-else"}})
	_, err := e.open(e.url(e.model("HR", other))).Push(ctx, e.cred2(secret))
	require.ErrorIs(t, err, push.ErrPermissionDenied)

	ws := e.fake.AddWorkspace("Private", "someone-else")
	id := e.fake.AddDataset(ws, powerbifake.Dataset{Name: "P", Owner: "someone-else"})
	_, err = e.open("powerbi://groups/"+ws+"/datasets/"+id+"?endpoint="+e.fake.URL()).Push(ctx, e.cred2(secret))
	require.ErrorIs(t, err, push.ErrPermissionDenied)
	assert.Zero(t, e.fake.Calls(powerbifake.OpUpdateDatasource)-1, "only the refused cloud-looking update reached the API")
}
