package powerbi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/pushtest"
)

// The suite runs with the Snowflake data sources of each model alternating
// between an on-premises gateway and the cloud.
func TestConformance(t *testing.T) {
	e := newEnv(t)
	cloud := e.fake.AddCloudGateway()
	gw := e.fake.AddGateway(powerbifake.Gateway{Name: "corp-gw", Admins: []string{principal}})
	pushtest.Run(t, pushtest.Harness{Snowflake: e.sf, Testable: true, Make: func(t *testing.T, opts push.Options, conns ...pushtest.Conn) pushtest.Fixture {
		var srcs []powerbifake.Datasource
		for i, c := range conns {
			switch {
			case c.Snowflake:
				server := c.Server
				if server == "" {
					server = e.sf.Host()
				}
				via := cloud
				if i%2 == 0 {
					via = gw
				}
				srcs = append(srcs, powerbifake.Datasource{Gateway: via, Type: "Snowflake", Server: server, Database: "WH"})
			default:
				srcs = append(srcs, powerbifake.Datasource{Gateway: cloud, Type: "Sql", Server: "sql.example.com", Database: "db"})
			}
		}
		id := e.fake.AddDataset(e.ws, powerbifake.Dataset{Name: t.Name(), Owner: principal, Datasources: srcs})
		merged := *e.opts
		merged.Logger = opts.Logger
		d, err := e.mux.Open(context.Background(), e.url(id), &merged)
		require.NoError(t, err)
		t.Cleanup(func() { _ = d.Close() })
		held := func(snowflakeOnly bool) []powerbifake.Credentials {
			var out []powerbifake.Credentials
			for _, s := range e.fake.Datasources(id) {
				if !snowflakeOnly || s.Type == "Snowflake" {
					out = append(out, e.fake.Credentials(s.Gateway, s.ID))
				}
			}
			return out
		}
		return pushtest.Fixture{
			Dest: d,
			Held: func() []pushtest.Held {
				var out []pushtest.Held
				for _, c := range held(true) {
					out = append(out, pushtest.Held{User: c.User, Password: c.Password})
				}
				return out
			},
			Updates: func() int {
				n := 0
				for _, c := range held(false) {
					n += c.Updates
				}
				return n
			},
			Refresh: func(ctx context.Context) error { return e.fake.RefreshDataset(ctx, id) },
		}
	}})
}
