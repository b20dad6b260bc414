package push_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
	"github.com/snowpat/snowpat/push/pushtest"
	"github.com/snowpat/snowpat/push/tableau"
)

// One token pushed to a Tableau data source, a Tableau workbook, a Power
// BI cloud model and a Power BI gateway model: every dashboard refreshes
// (its fake logs in to the emulator with what it holds) before a
// rotation, fails once the old token dies, and refreshes again after the
// new one is pushed everywhere.
func TestFourDestinations(t *testing.T) {
	ctx := context.Background()
	sf := pushtest.NewSnowflake(t)
	clock := pushtest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))

	tf := tableaufake.New()
	defer tf.Close()
	tf.AddUser("", "svc", tableaufake.RoleSiteAdministrator)
	tf.AddPAT("", "svc", "snowpat", "tableau-secret")
	tf.SetLogin(func(ctx context.Context, l tableaufake.Login) error { return sf.Login(ctx, l.User, l.Password) })
	conn := []tableaufake.Connection{{Type: "snowflake", ServerAddress: sf.Host(), EmbedPassword: true}}
	tf.AddDatasource("", tableaufake.Content{Name: "Sales", Owner: "svc", HasExtracts: true, Connections: conn})
	tf.AddWorkbook("", tableaufake.Content{Name: "Revenue", Owner: "svc", HasExtracts: true, Connections: conn})

	pf := powerbifake.New()
	defer pf.Close()
	pf.SetLogin(func(ctx context.Context, l powerbifake.Login) error { return sf.Login(ctx, l.User, l.Password) })
	ws := pf.AddWorkspace("Finance", "sp")
	model := func(gw string) string {
		return pf.AddDataset(ws, powerbifake.Dataset{Name: "m", Owner: "sp", Datasources: []powerbifake.Datasource{{Gateway: gw, Type: "Snowflake", Server: sf.Host()}}})
	}
	cloud := model(pf.AddCloudGateway())
	onprem := model(pf.AddGateway(powerbifake.Gateway{Name: "corp-gw", Admins: []string{"sp"}}))

	mux := &push.URLMux{}
	mux.Register(tableau.Scheme, tableau.NewOpener(nil))
	mux.Register(powerbi.Scheme, powerbi.NewOpener(&powerbi.OpenerOptions{Credential: pf.Credential("sp")}))
	env := map[string]string{"TABLEAU_PAT_NAME": "snowpat", "TABLEAU_PAT_SECRET": "tableau-secret"}
	open := func(u string, hc *tableaufake.Server, pc *powerbifake.Server) *push.Destination {
		o := &push.Options{Clock: clock, Rand: rand.New(rand.NewPCG(1, 2)), Getenv: func(k string) string { return env[k] }}
		if hc != nil {
			o.HTTPClient = hc.Client()
		} else {
			o.HTTPClient = pc.Client()
		}
		d, err := mux.Open(ctx, u, o)
		require.NoError(t, err)
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	ep := "?endpoint=" + url.QueryEscape(pf.URL())
	dests := []*push.Destination{
		open("tableau://"+tf.Host()+"/default/datasources/Sales", tf, nil),
		open("tableau://"+tf.Host()+"/default/workbooks/Revenue", tf, nil),
		open("powerbi://groups/"+ws+"/datasets/"+cloud+ep, nil, pf),
		open("powerbi://groups/"+ws+"/datasets/"+onprem+ep, nil, pf),
	}
	pushAll := func(s pat.Secret) {
		for _, d := range dests {
			_, err := d.Push(ctx, push.Credential{Account: sf.Account(), User: sf.User, Secret: s, Version: "v"})
			require.NoError(t, err, d.Identity())
			require.NoError(t, d.Test(ctx), d.Identity())
		}
	}
	refreshes := func() error {
		if err := tf.Refresh(ctx); err != nil {
			return err
		}
		return pf.Refresh(ctx)
	}

	pushAll(sf.AddToken(t))
	require.NoError(t, refreshes())
	fresh := sf.Rotate(t)
	require.Error(t, tf.Refresh(ctx), "Tableau still holds the dead token")
	require.Error(t, pf.Refresh(ctx), "Power BI still holds the dead token")
	pushAll(fresh)
	require.NoError(t, refreshes())
}
