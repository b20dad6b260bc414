package tableau_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/pushtest"
)

func TestConformance(t *testing.T) {
	e := newEnv(t)
	pushtest.Run(t, pushtest.Harness{Snowflake: e.sf, Testable: true, Make: func(t *testing.T, opts push.Options, conns ...pushtest.Conn) pushtest.Fixture {
		var cs []tableaufake.Connection
		for _, c := range conns {
			switch {
			case c.Snowflake && c.Server == "":
				cs = append(cs, tableaufake.Connection{Type: "snowflake", ServerAddress: e.sf.Host(), EmbedPassword: true})
			case c.Snowflake:
				cs = append(cs, tableaufake.Connection{Type: "snowflake", ServerAddress: c.Server, EmbedPassword: true})
			default:
				cs = append(cs, tableaufake.Connection{Type: "sqlserver", ServerAddress: "sql.example.com", UserName: "sa", Password: "x"})
			}
		}
		name := strings.ReplaceAll(t.Name(), "/", " ")
		id := e.fake.AddDatasource(site, tableaufake.Content{Name: name, Owner: admin, HasExtracts: true, Connections: cs})
		merged := *e.opts
		merged.Logger = opts.Logger
		d, err := push.Open(context.Background(), e.url("datasources", name), &merged)
		require.NoError(t, err)
		t.Cleanup(func() { _ = d.Close() })
		snowflake := func() []tableaufake.Connection {
			var out []tableaufake.Connection
			for _, c := range e.fake.Connections(id) {
				if c.Type == "snowflake" {
					out = append(out, c)
				}
			}
			return out
		}
		return pushtest.Fixture{
			Dest: d,
			Held: func() []pushtest.Held {
				var out []pushtest.Held
				for _, c := range snowflake() {
					out = append(out, pushtest.Held{User: c.UserName, Password: c.Password})
				}
				return out
			},
			Updates: func() int {
				n := 0
				for _, c := range e.fake.Connections(id) {
					n += c.Updates
				}
				return n
			},
			Refresh: func(ctx context.Context) error { return e.fake.RefreshContent(ctx, id) },
		}
	}})
}
