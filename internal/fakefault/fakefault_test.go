package fakefault_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// result is what one Intercept returned, sent from the goroutine that
// made the call.
type result struct {
	e   string
	ok  bool
	err error
}

// intercept runs Intercept in a goroutine, so that a test can act while
// the call is held, and returns where its result arrives.
func intercept(ctx context.Context, in *fakefault.Injector[string], op string) <-chan result {
	done := make(chan result, 1)
	go func() {
		e, ok, err := in.Intercept(ctx, op)
		done <- result{e, ok, err}
	}()
	return done
}

// bounded is a context that ends long after any correct wait in these
// tests would, so that a wrong latency fails the test instead of hanging
// it for an hour.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// The zero Injector injects nothing and counts from zero.
func TestZeroInjector(t *testing.T) {
	var in fakefault.Injector[string]
	assert.Zero(t, in.Calls("Op"))
	e, ok, err := in.Intercept(context.Background(), "Op")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Empty(t, e)
	assert.Equal(t, 1, in.Calls("Op"))
	in.ResetCalls()
	in.ReleaseAll()
	in.Close()
	assert.Zero(t, in.Calls("Op"))
}

// Failures queue per operation and come out in the order they went in,
// one a call; ok tells a queued zero value from no failure.
func TestFailNextQueuesInOrder(t *testing.T) {
	var in fakefault.Injector[string]
	ctx := context.Background()
	in.FailNext("Put", "first")
	in.FailNext("Get", "other")
	in.FailNext("Put", "second")
	in.FailNext("Put", "")

	for _, want := range []string{"first", "second", ""} {
		e, ok, err := in.Intercept(ctx, "Put")
		require.NoError(t, err)
		assert.True(t, ok, want)
		assert.Equal(t, want, e)
	}
	e, ok, err := in.Intercept(ctx, "Put")
	require.NoError(t, err)
	assert.False(t, ok, "the queue is empty")
	assert.Empty(t, e)

	e, ok, err = in.Intercept(ctx, "Get")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "other", e)
}

// A latency that the context outlives is waited out; one the context
// does not outlive ends with the context's error, and the call's queued
// failure is spent with it.
func TestLatencyHonoursContext(t *testing.T) {
	var in fakefault.Injector[string]
	in.SetLatency("Get", time.Hour)
	in.FailNext("Get", "lost")

	ctx, cancel := context.WithCancel(context.Background())
	g := in.Hold("Get")
	done := intercept(ctx, &in, "Get")
	<-g.Arrived()
	g.Release() // on to the hour's wait, which only cancel can end
	cancel()
	r := <-done
	require.ErrorIs(t, r.err, context.Canceled)
	assert.False(t, r.ok)
	assert.Empty(t, r.e)

	dctx, dcancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer dcancel()
	_, _, err := in.Intercept(dctx, "Get")
	require.ErrorIs(t, err, context.DeadlineExceeded)

	in.SetLatency("Get", 0)
	e, ok, err := in.Intercept(bounded(t), "Get")
	require.NoError(t, err, "zero removes the delay")
	assert.False(t, ok, "the cancelled call took the queued failure")
	assert.Empty(t, e)
	assert.Equal(t, 3, in.Calls("Get"))
}

// A short latency is served, not just abandoned.
func TestLatencyElapses(t *testing.T) {
	var in fakefault.Injector[string]
	in.SetLatency("Get", time.Millisecond)
	in.FailNext("Get", "after the wait")
	start := time.Now()
	e, ok, err := in.Intercept(bounded(t), "Get")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "after the wait", e)
	assert.GreaterOrEqual(t, time.Since(start), time.Millisecond)
}

// By default an operation's own latency stands in place of the one for
// "", which covers the operations without their own.
func TestLatencyForEveryOperation(t *testing.T) {
	var in fakefault.Injector[string]
	in.SetLatency("", time.Hour)
	in.SetLatency("Fast", time.Nanosecond)

	_, _, err := in.Intercept(bounded(t), "Fast")
	require.NoError(t, err, "Fast's own latency replaces the hour")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = in.Intercept(ctx, "Other")
	require.ErrorIs(t, err, context.Canceled, "Other waits the hour")

	in.SetLatency("", 0)
	_, _, err = in.Intercept(bounded(t), "Other")
	require.NoError(t, err)
}

// With SumLatency an operation waits its own latency and the one for ""
// as well.
func TestSumLatency(t *testing.T) {
	in := fakefault.Injector[string]{SumLatency: true}
	in.SetLatency("", time.Hour)
	in.SetLatency("Fast", time.Nanosecond)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := in.Intercept(ctx, "Fast")
	require.ErrorIs(t, err, context.Canceled, "Fast waits the hour too")

	in.SetLatency("", 0)
	_, _, err = in.Intercept(bounded(t), "Fast")
	require.NoError(t, err)
}

// A held call arrives, waits for Release, then goes on with its queued
// failure; holds are taken one a call, in order.
func TestHoldRelease(t *testing.T) {
	var in fakefault.Injector[string]
	ctx := bounded(t)
	g1 := in.Hold("Get")
	g2 := in.Hold("Get")
	in.FailNext("Get", "held")

	first := intercept(ctx, &in, "Get")
	<-g1.Arrived()
	select {
	case <-g2.Arrived():
		t.Fatal("the first call took the second hold")
	case <-first:
		t.Fatal("the held call went on before Release")
	default:
	}
	second := intercept(ctx, &in, "Get")
	<-g2.Arrived()

	g2.Release()
	assert.Equal(t, result{}, <-second, "the second call is released first")
	g1.Release()
	g1.Release() // a second Release is harmless
	assert.Equal(t, result{e: "held", ok: true}, <-first)

	_, _, err := in.Intercept(ctx, "Get")
	require.NoError(t, err, "no hold is left")
	assert.Equal(t, 3, in.Calls("Get"))
}

// A held call whose client gives up ends with the context's error.
func TestHoldEndsWithContext(t *testing.T) {
	var in fakefault.Injector[string]
	g := in.Hold("Get")
	ctx, cancel := context.WithCancel(context.Background())
	done := intercept(ctx, &in, "Get")
	<-g.Arrived()
	cancel()
	require.ErrorIs(t, (<-done).err, context.Canceled)
	g.Release() // after the call has gone, Release still does no harm
}

// Calls counts every call per operation, faulted and abandoned ones too,
// and ResetCalls zeroes every counter.
func TestCallsAndResetCalls(t *testing.T) {
	var in fakefault.Injector[string]
	ctx := context.Background()
	in.FailNext("Put", "fault")
	for range 3 {
		_, _, err := in.Intercept(ctx, "Put")
		require.NoError(t, err)
	}
	in.SetLatency("Get", time.Hour)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err := in.Intercept(cctx, "Get")
	require.ErrorIs(t, err, context.Canceled)

	assert.Equal(t, 3, in.Calls("Put"))
	assert.Equal(t, 1, in.Calls("Get"))
	assert.Zero(t, in.Calls("Delete"))

	in.ResetCalls()
	assert.Zero(t, in.Calls("Put"))
	assert.Zero(t, in.Calls("Get"))

	_, _, err = in.Intercept(ctx, "Put")
	require.NoError(t, err)
	assert.Equal(t, 1, in.Calls("Put"), "counting goes on after a reset")
}

// Close lets a waiting held call go and drops the holds no call has taken,
// so that the next call is not held at all; ReleaseAll lets the waiting
// call go too but leaves an untaken hold queued, released, so that the
// call that takes it arrives and goes straight on.
func TestCloseReleasesGates(t *testing.T) {
	for _, c := range []struct {
		name       string
		release    func(*fakefault.Injector[string])
		keepsQueue bool
	}{
		{"Close", (*fakefault.Injector[string]).Close, false},
		{"ReleaseAll", (*fakefault.Injector[string]).ReleaseAll, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var in fakefault.Injector[string]
			ctx := bounded(t)
			waiting := in.Hold("Get")
			queued := in.Hold("Get")
			done := intercept(ctx, &in, "Get")
			<-waiting.Arrived()

			c.release(&in)
			assert.Equal(t, result{}, <-done)

			_, _, err := in.Intercept(ctx, "Get")
			require.NoError(t, err)
			if c.keepsQueue {
				<-queued.Arrived()
				return
			}
			select {
			case <-queued.Arrived():
				t.Fatal("the untaken hold was left queued")
			default:
			}
		})
	}
}

// The Injector is safe for concurrent use: under -race, faults arranged
// while calls run are neither lost nor doubled.
func TestConcurrentUse(t *testing.T) {
	var in fakefault.Injector[string]
	const n = 50
	var wg sync.WaitGroup
	faulted := make(chan bool, n)
	for range n {
		in.FailNext("Put", "fault")
		wg.Go(func() {
			_, ok, err := in.Intercept(context.Background(), "Put")
			assert.NoError(t, err)
			faulted <- ok
		})
	}
	wg.Wait()
	close(faulted)
	count := 0
	for ok := range faulted {
		if ok {
			count++
		}
	}
	assert.Equal(t, n, count)
	assert.Equal(t, n, in.Calls("Put"))
}
