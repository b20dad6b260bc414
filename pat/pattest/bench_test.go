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
// and closes it (session delete).
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
	connector := gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.Config("svc", pattest.PAT(secret)))
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	logins := 0
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
	logins = b.N
	b.ReportMetric(float64(logins)/time.Since(start).Seconds(), "logins/s")
}
