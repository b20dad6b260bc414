package patconn_test

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// These tests run the fast path as it runs in production: on the real
// clock, with time.AfterFunc and time.Now. Inside a synctest bubble that
// clock is the bubble's, which moves only when every goroutine in the
// bubble is blocked, so they are deterministic and take no real time.

// newRealReader is a Reader on the real clock (Options.Clock unset).
func newRealReader(t *testing.T, opts patconn.Options) (*patconn.Reader, *secrets.Store, *memstore.Faults) {
	t.Helper()
	f := &memstore.Faults{}
	s := memstore.NewStore(memstore.WithFaults(f))
	t.Cleanup(func() { _ = s.Close() })
	r, err := patconn.NewReader(s, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r, s, f
}

// advance moves the bubble's clock on by d, firing every timer due by
// then, and lets what they started finish. It is a step of a fake clock,
// not a wait: the bubble's time jumps as soon as everything is blocked.
func advance(d time.Duration) {
	<-time.After(d)
	synctest.Wait()
}

// The fast path ends a margin (a second) before the refresh-ahead point,
// so the read at that point reads the clock and starts the refresh ahead.
// Without the timer that lowers the flag, that read would answer "one"
// from the fast path and never refresh.
func TestFastPathEndsBeforeRefreshAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Minute, RefreshAhead: 10 * time.Second})
		ctx := context.Background()
		readFirst(t, r, s)
		put(t, s, "two")
		require.True(t, patconn.Fresh(r), "a token just read is fresh")

		advance(49*time.Second - 1) // the window ends at 60 s - 10 s - 1 s
		require.True(t, patconn.Fresh(r))
		tok, err := r.Get(ctx)
		require.NoError(t, err)
		require.Equal(t, "one", tok.Secret.Reveal())

		advance(1)
		require.False(t, patconn.Fresh(r), "the window has ended")
		tok, _ = r.Get(ctx)
		require.Equal(t, "one", tok.Secret.Reveal(), "before the refresh-ahead point the cache answers")
		require.Equal(t, int64(1), r.Reads())

		advance(time.Second) // the refresh-ahead point
		tok, _ = r.Get(ctx)
		require.Equal(t, "one", tok.Secret.Reveal())
		synctest.Wait()
		require.Equal(t, int64(2), r.Reads(), "the read at the refresh-ahead point refreshed")
		require.True(t, patconn.Fresh(r), "the refreshed token is fresh")
		tok, _ = r.Get(ctx)
		require.Equal(t, "two", tok.Secret.Reveal())
	})
}

// A token nobody read for a whole TTL is not handed out by the fast path:
// the first read after the TTL goes to the store.
func TestFastPathNeverPastTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Minute})
		readFirst(t, r, s)
		put(t, s, "two")
		advance(time.Minute)
		tok, err := r.Get(context.Background())
		require.NoError(t, err)
		require.Equal(t, "two", tok.Secret.Reveal())
		require.Equal(t, int64(2), r.Reads())
	})
}

// With TTL - RefreshAhead no longer than the margin there is no window:
// every read reads the clock.
func TestShortTTLHasNoFastPath(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: 1250 * time.Millisecond})
		readFirst(t, r, s)
		require.False(t, patconn.Fresh(r))
	})
}

// jumpClock is the real clock, timers and all, whose wall time can jump
// ahead while the timers keep counting only the time that passes, as Go's
// timers do when a machine resumes from suspend (they count
// CLOCK_MONOTONIC, which stops during suspend) or when NTP steps the
// clock.
type jumpClock struct {
	clock.RealClock
	ahead atomic.Int64
}

func (c *jumpClock) Now() time.Time                  { return c.RealClock.Now().Add(time.Duration(c.ahead.Load())) }
func (c *jumpClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// After the wall clock jumps past the TTL, the fast path lasts until the
// next check, at most a second: the exposure the package documents. A
// single timer armed for the whole window would keep it up for the rest
// of the window's monotonic length, here most of an hour.
func TestFastPathEndsWithinACheckOfAWallClockJump(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jc := &jumpClock{}
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Hour, Clock: jc})
		patconn.TrustClock(r, jc)
		ctx := context.Background()
		readFirst(t, r, s)
		put(t, s, "two")
		require.True(t, patconn.Fresh(r))

		jc.ahead.Store(int64(2 * time.Hour))
		tok, _ := r.Get(ctx)
		require.Equal(t, "one", tok.Secret.Reveal(), "until the next check, the documented exposure")

		advance(time.Second)
		require.False(t, patconn.Fresh(r), "the check a second later saw the jump")
		tok, err := r.Get(ctx)
		require.NoError(t, err)
		require.Equal(t, "two", tok.Secret.Reveal())
	})
}

// Close stops the window's timer, lowers the flag and waits for a check
// already running; reads after Close read the clock, so a token past its
// TTL is not handed out.
func TestCloseStopsFreshTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Minute})
		var checks atomic.Int32
		patconn.SetCheckHook(r, func() { checks.Add(1) })
		readFirst(t, r, s)
		advance(time.Second)
		require.Equal(t, int32(1), checks.Load(), "a check a second after the read")

		require.NoError(t, r.Close())
		require.False(t, patconn.Fresh(r), "Close lowers the flag")
		advance(time.Hour)
		require.Equal(t, int32(1), checks.Load(), "a check ran after Close")

		_, err := r.Get(context.Background())
		require.ErrorIs(t, err, patconn.ErrClosed, "past the TTL a closed reader has no token")
	})
}

func TestCloseWaitsForRunningCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Minute})
		entered, release := make(chan struct{}), make(chan struct{})
		patconn.SetCheckHook(r, func() {
			close(entered)
			<-release
		})
		readFirst(t, r, s)
		go func() { <-time.After(time.Second) }() // lets the bubble's time reach the check
		<-entered
		closed := make(chan struct{})
		go func() {
			_ = r.Close()
			close(closed)
		}()
		synctest.Wait()
		select {
		case <-closed:
			t.Fatal("Close returned while a check was still running")
		default:
		}
		close(release)
		<-closed
	})
}

// Each token the store returns replaces the last one's timer: however
// many replacements, one check is armed.
func TestReplacingTokenStopsItsTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Minute})
		var checks atomic.Int32
		patconn.SetCheckHook(r, func() { checks.Add(1) })
		readFirst(t, r, s)
		for range 5 {
			_, err := r.Refresh(context.Background())
			require.NoError(t, err)
		}
		advance(time.Second)
		require.Equal(t, int32(1), checks.Load())
	})
}

// A token the store says is gone is not served by the fast path, even in
// the middle of its window.
func TestFastPathEndsWhenStoreDropsToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _ := newRealReader(t, patconn.Options{TTL: time.Minute})
		ctx := context.Background()
		readFirst(t, r, s)
		require.NoError(t, s.Delete(ctx))
		_, err := r.Refresh(ctx)
		require.ErrorIs(t, err, secrets.ErrNotFound)
		require.False(t, patconn.Fresh(r))
		_, err = r.Get(ctx)
		require.ErrorIs(t, err, secrets.ErrNotFound)
	})
}

// countingClock counts reads of a fake clock.
type countingClock struct {
	*testingclock.FakeClock
	reads atomic.Int64
}

func (c *countingClock) Now() time.Time {
	c.reads.Add(1)
	return c.FakeClock.Now()
}

// With an injected clock there is no fast path: every Get reads that
// clock, and no timer is armed on it.
func TestInjectedClockIsReadOnEveryGet(t *testing.T) {
	c := &countingClock{FakeClock: newFakeClock()}
	s := memstore.NewStore()
	t.Cleanup(func() { _ = s.Close() })
	r, err := patconn.NewReader(s, patconn.Options{TTL: time.Hour, Clock: c})
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	readFirst(t, r, s)
	require.False(t, patconn.Fresh(r))
	require.False(t, c.HasWaiters(), "a timer was armed on the injected clock")
	before := c.reads.Load()
	for range 10 {
		_, err := r.Get(context.Background())
		require.NoError(t, err)
	}
	require.Equal(t, before+10, c.reads.Load())
}
