// Package biworld is a Tableau server and a Power BI service, both
// in-process fakes, whose dashboards refresh as one Snowflake user: what
// the policy engine's tests and the quickstart push a rotated token to.
// It holds the four kinds of content a target can push to — a Tableau data
// source and workbook, a Power BI model on a cloud connection and one
// behind an on-premises gateway — and an opener for their URLs wired to
// the fakes.
package biworld

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
	"github.com/snowpat/snowpat/push/tableau"
)

// World is the two fakes and their content.
type World struct {
	Tableau *tableaufake.Server
	PowerBI *powerbifake.Server
	// URLs are the destinations, in order: the Tableau data source
	// "Sales", the Tableau workbook "Revenue", the Power BI cloud model and
	// the Power BI gateway model.
	URLs []string
	mux  *push.URLMux
	opts push.Options
}

// LoginFunc logs in to Snowflake as user with password as a token, as a
// dashboard's refresh does.
type LoginFunc func(ctx context.Context, user, password string) error

// New starts the fakes for Snowflake account, whose dashboards log in with
// login. clock drives the adapters' retries and polling.
func New(account string, login LoginFunc, clock push.Clock) *World {
	host := strings.ReplaceAll(strings.ToLower(account), "_", "-") + ".snowflakecomputing.com"

	tf := tableaufake.New()
	tf.AddUser("", "svc", tableaufake.RoleSiteAdministrator)
	tf.AddPAT("", "svc", "snowpat", "tableau-secret")
	tf.SetLogin(func(ctx context.Context, l tableaufake.Login) error { return login(ctx, l.User, l.Password) })
	conn := []tableaufake.Connection{{Type: "snowflake", ServerAddress: host, EmbedPassword: true}}
	tf.AddDatasource("", tableaufake.Content{Name: "Sales", Owner: "svc", HasExtracts: true, Connections: conn})
	tf.AddWorkbook("", tableaufake.Content{Name: "Revenue", Owner: "svc", HasExtracts: true, Connections: conn})

	pf := powerbifake.New()
	pf.SetLogin(func(ctx context.Context, l powerbifake.Login) error { return login(ctx, l.User, l.Password) })
	ws := pf.AddWorkspace("Finance", "sp")
	model := func(gw string) string {
		return pf.AddDataset(ws, powerbifake.Dataset{Name: "m", Owner: "sp", Datasources: []powerbifake.Datasource{{Gateway: gw, Type: "Snowflake", Server: host}}})
	}
	cloud := model(pf.AddCloudGateway())
	onprem := model(pf.AddGateway(powerbifake.Gateway{Name: "corp-gw", Admins: []string{"sp"}}))

	w := &World{Tableau: tf, PowerBI: pf, mux: &push.URLMux{}}
	w.mux.Register(tableau.Scheme, tableau.NewOpener(nil))
	w.mux.Register(powerbi.Scheme, powerbi.NewOpener(&powerbi.OpenerOptions{Credential: pf.Credential("sp")}))
	env := map[string]string{"TABLEAU_PAT_NAME": "snowpat", "TABLEAU_PAT_SECRET": "tableau-secret"}
	w.opts = push.Options{Clock: clock, Rand: rand.New(rand.NewPCG(1, 2)), Getenv: func(k string) string { return env[k] }}
	ep := "?endpoint=" + url.QueryEscape(pf.URL())
	w.URLs = []string{
		"tableau://" + tf.Host() + "/default/datasources/Sales",
		"tableau://" + tf.Host() + "/default/workbooks/Revenue",
		"powerbi://groups/" + ws + "/datasets/" + cloud + ep,
		"powerbi://groups/" + ws + "/datasets/" + onprem + ep,
	}
	return w
}

// Open opens a destination URL of this world, with the fake's TLS client:
// the engine's Options.OpenDestination.
func (w *World) Open(ctx context.Context, u string) (*push.Destination, error) {
	o := w.opts
	if strings.HasPrefix(u, tableau.Scheme+":") {
		o.HTTPClient = w.Tableau.Client()
	} else {
		o.HTTPClient = w.PowerBI.Client()
	}
	return w.mux.Open(ctx, u, &o)
}

// Refresh runs every dashboard's refresh: each logs in to Snowflake with
// the credential its connection holds.
func (w *World) Refresh(ctx context.Context) error {
	return errors.Join(w.Tableau.Refresh(ctx), w.PowerBI.Refresh(ctx))
}

// Close stops the fakes.
func (w *World) Close() {
	w.Tableau.Close()
	w.PowerBI.Close()
}

// Instant is a push.Clock that reads now's time but never waits: the
// adapters' backoff and Test's polling go straight on, for simulations
// that move time themselves.
func Instant(now func() time.Time) push.Clock { return instant(now) }

type instant func() time.Time

func (f instant) Now() time.Time { return f() }

func (f instant) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- f()
	return ch
}
