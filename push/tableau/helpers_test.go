package tableau_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/pushtest"
	_ "github.com/snowpat/snowpat/push/tableau"
)

// The Tableau side of every test: a site "finance" with an administrator
// signing in with a personal access token, a creator who owns nothing,
// and a connected app.
const (
	site      = "finance"
	admin     = "admin@example.com"
	patName   = "snowpat"
	patSecret = "pat-secret-value"
)

type env struct {
	t     *testing.T
	fake  *tableaufake.Server
	sf    *pushtest.Snowflake
	clock *pushtest.Clock
	opts  *push.Options
}

func newEnv(t *testing.T) *env {
	t.Helper()
	fake := tableaufake.New()
	t.Cleanup(fake.Close)
	fake.AddSite(site)
	fake.AddUser(site, admin, tableaufake.RoleSiteAdministrator)
	fake.AddPAT(site, admin, patName, patSecret)
	sf := pushtest.NewSnowflake(t)
	fake.SetLogin(func(ctx context.Context, l tableaufake.Login) error { return sf.Login(ctx, l.User, l.Password) })
	clock := pushtest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	fake.SetClock(clock.Now)
	vars := map[string]string{"TABLEAU_PAT_NAME": patName, "TABLEAU_PAT_SECRET": patSecret}
	return &env{t: t, fake: fake, sf: sf, clock: clock, opts: &push.Options{
		HTTPClient: fake.Client(), Clock: clock, Rand: rand.New(rand.NewPCG(1, 2)),
		Getenv: func(k string) string { return vars[k] },
	}}
}

// datasource publishes a data source owned by the administrator with one
// Snowflake connection to the emulated account.
func (e *env) datasource(name string, extract bool) string {
	return e.fake.AddDatasource(site, tableaufake.Content{Name: name, Owner: admin, HasExtracts: extract,
		Connections: []tableaufake.Connection{{Type: "snowflake", ServerAddress: e.sf.Host(), UserName: "OLD", Password: "old", EmbedPassword: true}}})
}

func (e *env) url(kind, content string) string {
	return "tableau://" + e.fake.Host() + "/" + site + "/" + kind + "/" + url.PathEscape(content)
}

func (e *env) open(u string) *push.Destination {
	e.t.Helper()
	d, err := push.Open(context.Background(), u, e.opts)
	require.NoError(e.t, err)
	e.t.Cleanup(func() { _ = d.Close() })
	return d
}

func (e *env) cred(secret string) push.Credential {
	return push.Credential{Account: e.sf.Account(), User: e.sf.User, Secret: patSecretOf(secret), Version: "v1"}
}
