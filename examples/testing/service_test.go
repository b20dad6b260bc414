package testingexamples_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A service that logs in through patconn keeps answering every query while
// its secret store is down for half an hour and while its token is
// rotated, with an hourly rotator beside it: zero failed queries.
func TestServiceSurvivesStoreOutageAndRotation(t *testing.T) {
	faults := &memstore.Faults{}
	w := policytest.New(t, policytest.WithFaults(faults))
	tg := w.Target("APP_SERVICE", policy.Production())
	rotator := w.Engine()
	ctx := context.Background()
	_, err := rotator.Apply(ctx, tg)
	require.NoError(t, err)

	// The service: every query opens a new connection, so every query
	// logs in with whatever token the connector holds then.
	var storeErrors int
	conn, err := patconn.NewConnector(*w.Server.Config("APP_SERVICE", pattest.PAT("")), w.Store(tg.Stores[0]), patconn.Options{
		TTL: 10 * time.Minute, Clock: w.Clock,
		OnError: func(error) { storeErrors++ },
	})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	t.Cleanup(func() { _ = db.Close() })
	db.SetMaxIdleConns(0)
	failed, queries := 0, 0
	query := func() {
		queries++
		var one int
		if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
			failed++
			t.Logf("%s: query failed: %v", w.Clock.Now().Format(time.DateTime), err)
		}
	}

	// run moves time in steps, running the rotator and a query at each.
	run := func(total, step time.Duration) {
		for elapsed := time.Duration(0); elapsed < total; elapsed += step {
			w.Clock.Step(step)
			_, _ = rotator.Apply(ctx, tg) // fails while the store is down
			query()
		}
	}
	run(30*policy.Day, 8*time.Hour)

	// Day 30: the store is down for half an hour; the service keeps its
	// token (patconn serves the last good one for MaxStale past its TTL).
	down := faults.Fail(memstore.Match{Times: memstore.Always}, secrets.ErrUnavailable)
	run(30*time.Minute, 5*time.Minute)
	down.Remove()
	run(10*time.Minute, 5*time.Minute)

	// Up to day 89, then every ten minutes across the rotation on day 90,
	// its grace and the service's next refreshes.
	run(59*policy.Day, 8*time.Hour)
	run(2*policy.Day, 10*time.Minute)

	require.Zero(t, failed, "of %d queries", queries)
	require.Equal(t, 1, w.Count(policy.EventRotated), "the token was rotated on day 90")
	require.NotZero(t, storeErrors, "the outage was seen")
	w.RequireWorks(t, tg)
}
