package patconn_test

import (
	"context"
	"database/sql"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// startHungRefresh reads a token, makes the store hang, moves the clock
// into the refresh-ahead window and makes a read that starts a background
// refresh, and returns once that refresh is inside the store, which will
// answer only when the refresh's context ends.
func startHungRefresh(t *testing.T, r *patconn.Reader, s *secrets.Store, f *memstore.Faults, step func(time.Duration), ttl time.Duration) {
	t.Helper()
	readFirst(t, r, s)
	hung := f.Block(reads)
	step(ttl - ttl/10)
	tok, err := r.Get(context.Background())
	require.NoError(t, err)
	require.Equal(t, "one", tok.Secret.Reveal(), "the cache answers while the refresh runs")
	<-hung.Reached(1)
}

// Close cancels a background refresh stuck in a store that never answers,
// and so returns: without the cancellation it would wait for the TTL (a
// day here). Close returning is the proof: the store returns only when
// the refresh's context is cancelled, and Close waits for the refresh.
func TestCloseCancelsHungRefresh(t *testing.T) {
	const ttl = 24 * time.Hour
	r, s, f, clock := newReader(t, patconn.Options{TTL: ttl})
	startHungRefresh(t, r, s, f, clock.Step, ttl)
	require.NoError(t, r.Close())
	_, err := r.Refresh(context.Background())
	require.ErrorIs(t, err, patconn.ErrClosed)
}

// The same through database/sql: sql.DB.Close closes the Connector, and
// must not block on a refresh against a hung store.
func TestDBCloseWithHungStore(t *testing.T) {
	const ttl = 24 * time.Hour
	f := &memstore.Faults{}
	store := memstore.NewStore(memstore.WithFaults(f))
	t.Cleanup(func() { _ = store.Close() })
	clock := newFakeClock()
	conn, err := patconn.NewConnector(cfgFor("SVC"), store, patconn.Options{TTL: ttl, Clock: clock})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	startHungRefresh(t, conn.Reader(), store, f, clock.Step, ttl)
	require.NoError(t, db.Close())
}

// A background refresh the store does not answer is abandoned when the
// TTL runs out on the Reader's clock: the failure is reported, the
// refresh ends, and the next read goes to the store again. synctest.Wait
// lets everything settle without letting time pass, so a refresh bounded
// only by a real-time deadline would still be running.
func TestRefreshAbandonedAfterTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const ttl = time.Minute
		errs := make(chan error, 4)
		r, s, f, clock := newReader(t, patconn.Options{TTL: ttl, OnError: func(err error) { errs <- err }})
		startHungRefresh(t, r, s, f, clock.Step, ttl)
		clock.Step(ttl)
		synctest.Wait()
		select {
		case err := <-errs:
			require.ErrorIs(t, err, context.Canceled)
			require.ErrorContains(t, err, "did not answer within the TTL")
		default:
			t.Fatal("the refresh outlived its TTL on the reader's clock")
		}

		f.Clear()
		put(t, s, "two")
		clock.Step(ttl / 5) // the retry after a failure
		tok, err := r.Get(context.Background())
		require.NoError(t, err)
		require.Equal(t, "two", tok.Secret.Reveal())
	})
}

// A Close that slips in after a read has decided on a background refresh,
// but before the refresh has started, must still win: once Close has
// returned, no refresh may start and read the store. (Checking "closed"
// and then counting the refresh in a WaitGroup without a lock lets the
// refresh start after Close's Wait, which the WaitGroup rules forbid.)
// The hook pauses the read exactly there; synctest.Wait then lets any
// refresh that did start run to its end.
func TestCloseDuringRefreshStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _, clock := newReader(t, patconn.Options{TTL: time.Minute, RefreshAhead: 10 * time.Second})
		ctx := context.Background()
		readFirst(t, r, s)
		clock.Step(55 * time.Second)

		paused, resume := make(chan struct{}), make(chan struct{})
		patconn.SetRefreshHook(r, func() {
			close(paused)
			<-resume
		})
		got := make(chan error, 1)
		go func() {
			_, err := r.Get(ctx)
			got <- err
		}()
		<-paused
		require.NoError(t, r.Close())
		close(resume)
		require.NoError(t, <-got, "the cache still answers")
		synctest.Wait()
		require.Equal(t, int64(1), r.Reads(), "a refresh read the store after Close returned")
	})
}
