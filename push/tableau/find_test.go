package tableau_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
)

// A name with a comma cannot be filtered on: the adapter pages through
// every data source (here 250, three pages of 100) and finds it on the
// last page. Other names are filtered on the server: one page.
func TestFindPagesAndFilters(t *testing.T) {
	e := newEnv(t)
	for i := range 249 {
		e.fake.AddDatasource(site, tableaufake.Content{Name: fmt.Sprintf("Filler %03d", i), Owner: admin})
	}
	id := e.datasource("Sales, EMEA", false)
	secret := e.sf.AddToken(t)
	res, err := e.open(e.url("datasources", "Sales, EMEA")).Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)
	assert.Equal(t, id, res.Content.ID)
	assert.Equal(t, 3, e.fake.Calls(tableaufake.OpQueryDatasources))

	_, err = e.open(e.url("datasources", "Filler 007")).Inspect(context.Background(), e.sf.Account())
	require.ErrorIs(t, err, push.ErrNoSnowflakeConnection, "found, by filter")
	assert.Equal(t, 4, e.fake.Calls(tableaufake.OpQueryDatasources))
}

// Names are unique per project only: two matches are an error that lists
// both ids and asks for one; the id then works.
func TestFindAmbiguousName(t *testing.T) {
	e := newEnv(t)
	a := e.fake.AddDatasource(site, tableaufake.Content{Name: "Sales", Project: "EMEA", Owner: admin,
		Connections: []tableaufake.Connection{{Type: "snowflake", ServerAddress: e.sf.Host()}}})
	b := e.fake.AddDatasource(site, tableaufake.Content{Name: "Sales", Project: "APAC", Owner: admin})
	_, err := e.open(e.url("datasources", "Sales")).Push(context.Background(), e.cred("x"))
	require.ErrorIs(t, err, push.ErrInvalidArgument)
	assert.Contains(t, err.Error(), a)
	assert.Contains(t, err.Error(), b)

	secret := e.sf.AddToken(t)
	searches := e.fake.Calls(tableaufake.OpQueryDatasources)
	_, err = e.open(e.url("datasources", a)).Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)
	assert.Equal(t, searches, e.fake.Calls(tableaufake.OpQueryDatasources), "an id needs no search")
}

// Content named like an id is still found by name when no content has
// that id; content the user may not see does not exist for it.
func TestFindFallbacks(t *testing.T) {
	e := newEnv(t)
	const luidName = "0e2d4c55-1f2a-4b3c-8d9e-0a1b2c3d4e5f"
	e.datasource(luidName, false)
	secret := e.sf.AddToken(t)
	_, err := e.open(e.url("datasources", luidName)).Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)

	e.fake.AddUser(site, "viewer@example.com", tableaufake.RoleCreator)
	e.fake.AddPAT(site, "viewer@example.com", "viewer", "viewer-secret")
	e.fake.AddDatasource(site, tableaufake.Content{Name: "Secret", Owner: admin, HiddenFrom: []string{"viewer@example.com"}})
	e.opts.Getenv = func(k string) string {
		return map[string]string{"TABLEAU_PAT_NAME": "viewer", "TABLEAU_PAT_SECRET": "viewer-secret"}[k]
	}
	_, err = e.open(e.url("datasources", "Secret")).Push(context.Background(), e.cred(secret.Reveal()))
	require.ErrorIs(t, err, push.ErrNotFound)
	_, err = e.open(e.url("workbooks", "Sales")).Push(context.Background(), e.cred(secret.Reveal()))
	require.ErrorIs(t, err, push.ErrNotFound)
	assert.Zero(t, e.fake.Sessions(), "failed pushes sign out too")
}

// A creator who does not own the data source may read it but not update
// it: 403, nothing written. A Snowflake connection signed in with OAuth is
// not a password connection and is left alone; a workbook that reaches
// Snowflake only through a published data source has nothing to push.
func TestPermissionAndConnectionKinds(t *testing.T) {
	e := newEnv(t)
	id := e.datasource("Sales", false)
	e.fake.AddUser(site, "creator@example.com", tableaufake.RoleCreator)
	e.fake.AddPAT(site, "creator@example.com", "creator", "creator-secret")
	creator := *e.opts
	creator.Getenv = func(k string) string {
		return map[string]string{"TABLEAU_PAT_NAME": "creator", "TABLEAU_PAT_SECRET": "creator-secret"}[k]
	}
	d, err := push.Open(context.Background(), e.url("datasources", "Sales"), &creator)
	require.NoError(t, err)
	defer d.Close()
	_, err = d.Push(context.Background(), e.cred("x-secret"))
	require.ErrorIs(t, err, push.ErrPermissionDenied)
	assert.Equal(t, "old", e.fake.Connections(id)[0].Password)

	e.fake.AddDatasource(site, tableaufake.Content{Name: "OAuth", Owner: admin, Connections: []tableaufake.Connection{
		{Type: "snowflake", ServerAddress: e.sf.Host(), AuthenticationType: "oauth"}}})
	_, err = e.open(e.url("datasources", "OAuth")).Push(context.Background(), e.cred("x-secret"))
	require.ErrorIs(t, err, push.ErrNoSnowflakeConnection)

	e.fake.AddWorkbook(site, tableaufake.Content{Name: "Proxy", Owner: admin, Connections: []tableaufake.Connection{
		{Type: "sqlproxy", ServerAddress: "localhost", Datasource: "Sales"}}})
	_, err = e.open(e.url("workbooks", "Proxy")).Push(context.Background(), e.cred("x-secret"))
	require.ErrorIs(t, err, push.ErrNoSnowflakeConnection)
	assert.Contains(t, err.Error(), "sqlproxy")
}
