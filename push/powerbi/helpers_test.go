package powerbi_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
	"github.com/snowpat/snowpat/push/pushtest"
)

// principal is the service principal snowpat runs as: a member of the
// workspace, owner of the models, admin of the gateways.
const principal = "snowpat-sp"

type env struct {
	t     *testing.T
	fake  *powerbifake.Server
	cred  *powerbifake.Credential
	sf    *pushtest.Snowflake
	clock *pushtest.Clock
	mux   *push.URLMux
	opts  *push.Options
	ws    string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	fake := powerbifake.New()
	t.Cleanup(fake.Close)
	sf := pushtest.NewSnowflake(t)
	fake.SetLogin(func(ctx context.Context, l powerbifake.Login) error { return sf.Login(ctx, l.User, l.Password) })
	clock := pushtest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	fake.SetClock(clock.Now)
	cred := fake.Credential(principal)
	mux := &push.URLMux{}
	mux.Register(powerbi.Scheme, powerbi.NewOpener(&powerbi.OpenerOptions{Credential: cred}))
	return &env{t: t, fake: fake, cred: cred, sf: sf, clock: clock, mux: mux, ws: fake.AddWorkspace("Finance", principal),
		opts: &push.Options{HTTPClient: fake.Client(), Clock: clock, Rand: rand.New(rand.NewPCG(1, 2))}}
}

// model adds a model with one Snowflake data source bound to gateway.
func (e *env) model(name, gateway string) string {
	return e.fake.AddDataset(e.ws, powerbifake.Dataset{Name: name, Owner: principal, Datasources: []powerbifake.Datasource{
		{Gateway: gateway, Type: "Snowflake", Server: e.sf.Host(), Database: "ANALYTICS_WH"},
	}})
}

func (e *env) url(dataset string, extra ...string) string {
	u := "powerbi://groups/" + e.ws + "/datasets/" + dataset + "?endpoint=" + url.QueryEscape(e.fake.URL())
	for _, x := range extra {
		u += "&" + x
	}
	return u
}

func (e *env) open(u string) *push.Destination {
	e.t.Helper()
	d, err := e.mux.Open(context.Background(), u, e.opts)
	require.NoError(e.t, err)
	e.t.Cleanup(func() { _ = d.Close() })
	return d
}

func (e *env) cred2(secret pat.Secret) push.Credential {
	return push.Credential{Account: e.sf.Account(), User: e.sf.User, Secret: secret, Version: "v1"}
}
