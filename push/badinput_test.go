package push_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
	"github.com/snowpat/snowpat/push/pushtest"
	"github.com/snowpat/snowpat/push/tableau"
)

// The bad-input table of issue 19, across both tools: each input is a
// typed error that names the destination, and nothing is pushed.
func TestBadInput(t *testing.T) {
	const account = "myorg-acct"
	host := "myorg-acct.snowflakecomputing.com"
	tf := tableaufake.New()
	defer tf.Close()
	tf.AddUser("", "admin", tableaufake.RoleSiteAdministrator)
	tf.AddUser("", "viewer", tableaufake.RoleCreator)
	tf.AddPAT("", "admin", "admin", "admin-secret")
	tf.AddPAT("", "viewer", "viewer", "viewer-secret")
	sf := []tableaufake.Connection{{Type: "snowflake", ServerAddress: host}}
	tf.AddDatasource("", tableaufake.Content{Name: "Good", Owner: "admin", Connections: sf})
	tf.AddDatasource("", tableaufake.Content{Name: "SQL only", Owner: "admin", Connections: []tableaufake.Connection{{Type: "sqlserver", ServerAddress: "sql.corp"}}})
	tf.AddDatasource("", tableaufake.Content{Name: "Elsewhere", Owner: "admin", Connections: []tableaufake.Connection{
		{Type: "snowflake", ServerAddress: host}, {Type: "snowflake", ServerAddress: "myorg-other.snowflakecomputing.com"}}})

	pf := powerbifake.New()
	defer pf.Close()
	ws := pf.AddWorkspace("w", "sp")
	gw := pf.AddGateway(powerbifake.Gateway{Name: "gw", KeyBits: 1024, Admins: []string{"sp"}})
	pf.CorruptGatewayKey(gw, "bm90IGEga2V5")
	badKey := pf.AddDataset(ws, powerbifake.Dataset{Name: "d", Owner: "sp", Datasources: []powerbifake.Datasource{{Gateway: gw, Type: "Snowflake", Server: host}}})

	mux := &push.URLMux{}
	mux.Register(tableau.Scheme, tableau.NewOpener(nil))
	mux.Register(powerbi.Scheme, powerbi.NewOpener(&powerbi.OpenerOptions{Credential: pf.Credential("sp")}))
	user := "admin"
	getenv := func(k string) string {
		return map[string]string{"TABLEAU_PAT_NAME": user, "TABLEAU_PAT_SECRET": user + "-secret"}[k]
	}
	clock := pushtest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	tab := "tableau://" + tf.Host() + "/default/datasources/"
	pbi := func(ds string) string {
		return "powerbi://groups/" + ws + "/datasets/" + ds + "?endpoint=" + url.QueryEscape(pf.URL())
	}
	cred := push.Credential{Account: account, User: "BI_SVC", Secret: pat.NewSecret("tok-secret")}

	for _, c := range []struct {
		name, url, as string
		want          error
		names         string
	}{
		{"unknown scheme", "looker://host/x", "admin", push.ErrInvalidArgument, "looker://host/x"},
		{"malformed tableau URL", "tableau://" + tf.Host() + "/default/views/x", "admin", push.ErrInvalidArgument, "/default/views/x"},
		{"malformed powerbi URL", "powerbi://groups/not-a-guid/datasets/x", "admin", push.ErrInvalidArgument, "powerbi://groups/not-a-guid"},
		{"no Snowflake connection", tab + "SQL%20only", "admin", push.ErrNoSnowflakeConnection, "SQL%20only"},
		{"another account", tab + "Elsewhere", "admin", push.ErrWrongAccount, "myorg-other"},
		{"missing permission", tab + "Good", "viewer", push.ErrPermissionDenied, tab + "Good"},
		{"gateway key that does not parse", pbi(badKey), "admin", push.ErrInvalidArgument, "powerbi://groups/" + ws},
	} {
		t.Run(c.name, func(t *testing.T) {
			user = c.as
			opts := &push.Options{HTTPClient: tf.Client(), Getenv: getenv, Clock: clock, Rand: rand.New(rand.NewPCG(1, 1))}
			if strings.HasPrefix(c.url, "powerbi") {
				opts.HTTPClient = pf.Client()
			}
			d, err := mux.Open(context.Background(), c.url, opts)
			if err == nil {
				defer d.Close()
				_, err = d.Push(context.Background(), cred)
			}
			require.ErrorIs(t, err, c.want)
			assert.Contains(t, err.Error(), c.names)
			assert.NotContains(t, err.Error(), "tok-secret")
		})
	}
	assert.Zero(t, tf.Calls(tableaufake.OpUpdateDatasourceConnection)-1, "only the refused 403 update reached Tableau")
	assert.Zero(t, pf.Calls(powerbifake.OpUpdateDatasource))
}
