package policy_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
	"github.com/snowpat/snowpat/push/tableau"
)

// bi is a Tableau server and a Power BI service whose dashboards refresh
// as the world's SVC user, and the four destinations of one target: a
// Tableau data source and workbook, a Power BI cloud model and a model
// behind an on-premises gateway.
type bi struct {
	tf    *tableaufake.Server
	pf    *powerbifake.Server
	urls  []string
	open  func(ctx context.Context, url string) (*push.Destination, error)
	world *world
}

func newBI(t *testing.T, w *world) *bi {
	t.Helper()
	base := *w.srv.Config("", pattest.PAT(""))
	login := func(ctx context.Context, user, password string) error {
		return pat.Verify(ctx, base, user, pat.NewSecret(password))
	}
	host := strings.ReplaceAll(strings.ToLower(w.srv.Account()), "_", "-") + ".snowflakecomputing.com"

	tf := tableaufake.New()
	t.Cleanup(tf.Close)
	tf.AddUser("", "svc", tableaufake.RoleSiteAdministrator)
	tf.AddPAT("", "svc", "snowpat", "tableau-secret")
	tf.SetLogin(func(ctx context.Context, l tableaufake.Login) error { return login(ctx, l.User, l.Password) })
	conn := []tableaufake.Connection{{Type: "snowflake", ServerAddress: host, EmbedPassword: true}}
	tf.AddDatasource("", tableaufake.Content{Name: "Sales", Owner: "svc", HasExtracts: true, Connections: conn})
	tf.AddWorkbook("", tableaufake.Content{Name: "Revenue", Owner: "svc", HasExtracts: true, Connections: conn})

	pf := powerbifake.New()
	t.Cleanup(pf.Close)
	pf.SetLogin(func(ctx context.Context, l powerbifake.Login) error { return login(ctx, l.User, l.Password) })
	ws := pf.AddWorkspace("Finance", "sp")
	model := func(gw string) string {
		return pf.AddDataset(ws, powerbifake.Dataset{Name: "m", Owner: "sp", Datasources: []powerbifake.Datasource{{Gateway: gw, Type: "Snowflake", Server: host}}})
	}
	cloud := model(pf.AddCloudGateway())
	onprem := model(pf.AddGateway(powerbifake.Gateway{Name: "corp-gw", Admins: []string{"sp"}}))

	mux := &push.URLMux{}
	mux.Register(tableau.Scheme, tableau.NewOpener(nil))
	mux.Register(powerbi.Scheme, powerbi.NewOpener(&powerbi.OpenerOptions{Credential: pf.Credential("sp")}))
	env := map[string]string{"TABLEAU_PAT_NAME": "snowpat", "TABLEAU_PAT_SECRET": "tableau-secret"}
	ep := "?endpoint=" + url.QueryEscape(pf.URL())
	b := &bi{tf: tf, pf: pf, world: w, urls: []string{
		"tableau://" + tf.Host() + "/default/datasources/Sales",
		"tableau://" + tf.Host() + "/default/workbooks/Revenue",
		"powerbi://groups/" + ws + "/datasets/" + cloud + ep,
		"powerbi://groups/" + ws + "/datasets/" + onprem + ep,
	}}
	b.open = func(ctx context.Context, u string) (*push.Destination, error) {
		o := &push.Options{Clock: instantClock{w.clock}, Rand: rand.New(rand.NewPCG(1, 2)), Getenv: func(k string) string { return env[k] }}
		if strings.HasPrefix(u, "tableau:") {
			o.HTTPClient = tf.Client()
		} else {
			o.HTTPClient = pf.Client()
		}
		return mux.Open(ctx, u, o)
	}
	return b
}

// refreshes runs every dashboard's refresh: each logs in to Snowflake with
// the credential its connection holds.
func (b *bi) refreshes(ctx context.Context) error {
	return errors.Join(b.tf.Refresh(ctx), b.pf.Refresh(ctx))
}

// One target pushed to a Tableau data source, a Tableau workbook, a Power
// BI cloud model and a Power BI gateway model, through a simulated year of
// rotations: every dashboard refreshes every day, before the engine runs,
// right after it, across the grace and after it. (Issue 19.)
func TestDashboardsRefreshThroughAYearOfRotations(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.urls
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.open })
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.NoError(t, b.refreshes(ctx))
	for day := 1; day <= 365; day++ {
		w.clock.Step(policy.Day)
		require.NoError(t, b.refreshes(ctx), "day %d, before the pass", day)
		d, err := e.Apply(ctx, tg)
		require.NoError(t, err, "day %d: %s", day, d.Reason)
		require.NoError(t, b.refreshes(ctx), "day %d, after the pass", day)
		w.requireWorks(tg)
	}
	require.Equal(t, 4, w.rec.count(policy.EventRotated))
	require.Equal(t, 4*5, w.rec.count(policy.EventPushed), "every destination got every secret once")
}

// A destination whose push fails is pushed again on the next pass, while
// the old secret still works; one that keeps failing past the grace is cut
// off, as it would be in production, and is told so; the others never
// notice. (Issue 19.)
func TestFailedPushIsRetriedAndReported(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.urls
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.open; o.Retry = policy.Retry{Attempts: 1} })
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	w.clock.Step(91 * policy.Day)

	// Power BI answers every update with a 503 for a while.
	b.pf.FailFor(powerbifake.OpUpdateDatasource, 1000, &powerbifake.APIError{Status: 503, Code: "ServiceUnavailable", Message: "down"})
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, push.ErrUnavailable)
	require.NoError(t, b.tf.Refresh(ctx), "Tableau got the new secret")
	require.NoError(t, b.pf.Refresh(ctx), "Power BI still holds the old secret, alive for the grace")
	failed := false
	for _, ev := range w.rec.events {
		failed = failed || ev.Kind == policy.EventFailed && strings.Contains(ev.Destination, "powerbi") && strings.Contains(ev.Reason, "stops working at")
	}
	require.True(t, failed, "the failed event names the destination and when its secret dies")

	// Past the grace Power BI's refreshes fail, as in production.
	w.clock.Step(25 * time.Hour)
	require.Error(t, b.pf.Refresh(ctx))
	require.NoError(t, b.tf.Refresh(ctx))

	// Power BI is back: the next pass pushes to it, and only to it.
	b.pf.ClearFaults(powerbifake.OpUpdateDatasource)
	pushed := w.rec.count(policy.EventPushed)
	d, err := e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Equal(t, policy.ActionPush, d.Action, d.Reason)
	require.Equal(t, pushed+2, w.rec.count(policy.EventPushed))
	require.NoError(t, b.refreshes(ctx))
}

// The dry run shows the push steps after the promotion.
func TestDryRunShowsPushes(t *testing.T) {
	w := newWorld(t)
	b := newBI(t, w)
	tg := w.target("SVC", policy.Production(), 1)
	tg.Push = b.urls[:1]
	e := w.engine(func(o *policy.Options) { o.OpenDestination = b.open })
	d := e.Plan(context.Background(), []policy.Target{tg}).Decisions[0]
	var kinds []policy.StepKind
	for _, s := range d.Steps {
		kinds = append(kinds, s.Kind)
	}
	require.Equal(t, []policy.StepKind{policy.StepAddToken, policy.StepStorePending, policy.StepVerify, policy.StepPromote, policy.StepPush, policy.StepTest}, kinds)
}
