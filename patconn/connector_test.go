package patconn_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// account is an emulated Snowflake account with service users SVC and
// OTHER. One clock, the emulator's, drives the emulator, the policy
// engine and the consumer.
type account struct {
	srv    *pattest.Server
	clock  *testingclock.FakeClock
	admin  *sql.DB
	client *pat.Client
}

// addToken adds a role-restricted token APP for user and returns its
// secret.
func (a *account) addToken(t *testing.T, user string) pat.Secret {
	t.Helper()
	res, err := a.client.Add(context.Background(), user, "APP", pat.AddOptions{RoleRestriction: "BI_READER", RoleRestrictionRequired: true})
	require.NoError(t, err)
	return res.Secret
}

// config is the login configuration of SVC, without credentials.
func (a *account) config() gosnowflake.Config { return *a.srv.Config("SVC", pattest.PAT("")) }

func newAccount(t *testing.T) *account {
	t.Helper()
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	srv := pattest.Start(t, pattest.WithClock(clock))
	admin := srv.Admin()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE bi_reader",
		"CREATE USER svc TYPE = SERVICE DEFAULT_ROLE = bi_reader NETWORK_POLICY = bi",
		"GRANT ROLE bi_reader TO USER svc",
		"CREATE USER other TYPE = SERVICE DEFAULT_ROLE = bi_reader NETWORK_POLICY = bi",
		"GRANT ROLE bi_reader TO USER other",
	} {
		_, err := admin.Exec(stmt)
		require.NoError(t, err)
	}
	return &account{srv: srv, clock: clock, admin: admin, client: pat.NewClient(admin)}
}

func storeToken(t *testing.T, s *secrets.Store, secret pat.Secret) {
	t.Helper()
	storeTokenOf(t, s, "SVC", secret)
}

func storeTokenOf(t *testing.T, s *secrets.Store, user string, secret pat.Secret) {
	t.Helper()
	b, err := pat.EncodeStored(pat.StoredToken{User: user, TokenName: "APP", Token: secret}, pat.FormatJSON)
	require.NoError(t, err)
	_, err = s.Put(context.Background(), b, nil)
	require.NoError(t, err)
}

func TestConnectorLogsInWithStoredToken(t *testing.T) {
	a := newAccount(t)
	store := memstore.NewStore()
	storeToken(t, store, a.addToken(t, "SVC"))

	conn, err := patconn.NewConnector(a.config(), store, patconn.Options{Clock: a.clock})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	var user, role string
	require.NoError(t, db.QueryRow("SELECT CURRENT_USER(), CURRENT_ROLE()").Scan(&user, &role))
	require.Equal(t, "SVC", user)
	require.Equal(t, "BI_READER", role)
}

// TestConnectorHeals: the store got a new token behind the cache's back
// and the old one died; the next login fails, re-reads and succeeds.
func TestConnectorHeals(t *testing.T) {
	a := newAccount(t)
	ctx := context.Background()
	store := memstore.NewStore()
	storeToken(t, store, a.addToken(t, "SVC"))
	conn, err := patconn.NewConnector(a.config(), store, patconn.Options{Clock: a.clock, TTL: time.Hour})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	db.SetMaxIdleConns(0) // every query logs in
	require.NoError(t, db.Ping())

	rot, err := a.client.Rotate(ctx, "SVC", "APP", pat.RotateOptions{ExpireImmediately: true})
	require.NoError(t, err)
	storeToken(t, store, rot.Secret)
	reads := conn.Reader().Reads()
	require.NoError(t, db.Ping(), "the connector must heal within the TTL")
	require.Equal(t, reads+1, conn.Reader().Reads())

	// When the store has nothing better, the error comes back typed.
	_, err = a.client.Rotate(ctx, "SVC", "APP", pat.RotateOptions{ExpireImmediately: true})
	require.NoError(t, err)
	err = db.Ping()
	require.ErrorIs(t, err, pat.ErrInvalidToken)
	var se *gosnowflake.SnowflakeError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 394400, se.Number)
	require.NotContains(t, err.Error(), rot.Secret.Reveal())
}

// TestRotationUnderLoad: goroutines query continuously through the
// connector while the policy engine rotates the token again and again on
// the fake clock. Grace (24h) is longer than the TTL (1h): no query may
// fail, and every rotation is picked up within one TTL.
func TestRotationUnderLoad(t *testing.T) {
	a := newAccount(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := policy.Production()
	p.RoleRestriction = "BI_READER"
	url := "mem://" + t.Name()
	target := policy.Target{Account: a.srv.Account(), User: "SVC", Token: "APP", Policy: p, Stores: []string{url}}
	engine, err := policy.New(policy.Options{Admin: a.client, Verify: pat.Verifier(*a.srv.Config("", pattest.PAT(""))), Clock: a.clock})
	require.NoError(t, err)
	defer engine.Close()
	_, err = engine.Apply(ctx, target)
	require.NoError(t, err)

	const ttl = time.Hour
	conn, err := patconn.NewConnector(a.config(), memstore.OpenStore(t.Name()), patconn.Options{Clock: a.clock, TTL: ttl})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	db.SetMaxIdleConns(2)
	db.SetMaxOpenConns(8)

	var ok, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for ctx.Err() == nil {
				// Half the workers force a new login each time.
				var err error
				if i%2 == 0 {
					var c *sql.Conn
					if c, err = db.Conn(ctx); err == nil {
						// ErrBadConn makes database/sql discard the
						// connection, so the next one logs in afresh.
						err = c.Raw(func(any) error { return driver.ErrBadConn })
						_ = c.Close()
						if errors.Is(err, driver.ErrBadConn) {
							err = nil
						}
					}
				}
				if err == nil {
					var one int
					err = db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
				}
				if err != nil && ctx.Err() == nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				} else if err == nil {
					ok.Add(1)
				}
			}
		}(i)
	}

	store := memstore.OpenStore(t.Name())
	for round := 0; round < 5; round++ {
		before := ok.Load()
		waitFor(t, func() bool { return ok.Load() >= before+20 })
		a.clock.Step(91 * policy.Day)
		d, err := engine.Apply(ctx, target)
		require.NoError(t, err)
		require.Equal(t, policy.ActionRotate, d.Action)
		cur, err := store.Current(ctx)
		require.NoError(t, err)
		st, err := pat.DecodeStored(cur.Value())
		require.NoError(t, err)

		// Within one TTL every new login uses the new token.
		a.clock.Step(ttl)
		tok, err := conn.Reader().Get(ctx)
		require.NoError(t, err)
		require.True(t, tok.Secret.Equal(st.Token), "round %d: rotation not picked up within one TTL", round)
		before = ok.Load()
		waitFor(t, func() bool { return ok.Load() >= before+20 })
	}
	cancel()
	wg.Wait()
	if v := firstErr.Load(); v != nil {
		t.Fatalf("%d queries failed, first: %v", failed.Load(), v)
	}
	require.Zero(t, failed.Load())
	require.Greater(t, ok.Load(), int64(100))
	require.Greater(t, a.srv.Counts().Login, int64(50), "the workers must log in afresh throughout")
	t.Logf("%d queries, 0 failed, 5 rotations", ok.Load())
}

// waitFor blocks until cond holds, polling with the scheduler rather than
// sleeping.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 30s")
		}
		runtimeGosched()
	}
}
