package pattest_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/pat/pattest"
)

// BenchmarkPATLogin measures the emulator's PAT logins per second through
// gosnowflake: each iteration opens a connection with the token (login),
// and closes it (session delete). The driver closes its transport's idle
// connections whenever a connection closes, so each login also dials; the
// rate is mostly the driver's work, on the same cores as the emulator's.
func BenchmarkPATLogin(b *testing.B) {
	srv := pattest.NewServer()
	defer srv.Close()
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer admin.Close()
	for _, s := range []string{
		"CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE USER svc PASSWORD = 'unused' NETWORK_POLICY = lo",
	} {
		if _, err := admin.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	var name, secret string
	if err := admin.QueryRow("ALTER USER svc ADD PAT t").Scan(&name, &secret); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name      string
		telemetry bool
	}{
		// As pat.Verify logs in: login and logout, two requests.
		{"verify", false},
		// With the driver's defaults: the session's CLIENT_TELEMETRY_ENABLED
		// (true, as in Snowflake) adds the driver's telemetry batch as the
		// connection closes.
		{"driver-defaults", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := *srv.Config("svc", pattest.PAT(secret))
			//lint:ignore SA1019 the driver version we pin has no other switch.
			cfg.DisableTelemetry = !bc.telemetry
			connector := gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, cfg)
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c, err := connector.Connect(ctx)
					if err != nil {
						b.Error(err)
						return
					}
					_ = c.Close()
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "logins/s")
		})
	}
}
