package filestore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/secrets"
)

// holdLock takes the secret's exclusive lock through a separate open file,
// as another process would, and returns the release.
func holdLock(t *testing.T, dir string) func() {
	t.Helper()
	sec, err := openSecret(dir)
	require.NoError(t, err)
	f, err := sec.lock(t.Context(), true, true)
	require.NoError(t, err)
	return func() { closeLock(f) }
}

// A call waiting for a busy lock ends with the context's error when the
// context ends, as the driver contract requires; it does not sit in a
// flock system call that ignores the context. The context is cancelled
// at the instant the lock file is open and about to be locked.
func TestLockWaitHonoursContext(t *testing.T) {
	s, dir, _ := newWrittenStore(t, "v1")
	before := describe(t, dir)
	release := holdLock(t, dir)
	defer release()

	ctx := cancelAt(t, "lock:opened")
	_, err := s.Put(ctx, []byte("never"), nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	_, err = s.Current(ctx)
	require.ErrorIs(t, err, context.Canceled)
	crashHook = nil
	release()
	assert.Equal(t, before, describe(t, dir))
}

// timerClock is a fake clock that hands each new timer's duration to the
// test, so that the test knows when the code waits and for how long.
type timerClock struct {
	*testingclock.FakeClock
	timers chan time.Duration
}

func (c timerClock) NewTimer(d time.Duration) clock.Timer {
	t := c.FakeClock.NewTimer(d)
	c.timers <- d
	return t
}

// A waiter asks again after doubling waits on the injected clock, up to a
// ceiling, and goes ahead once the holder lets go.
func TestLockWaitBacksOff(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "secret")
	release := holdLock(t, dir)
	sec, err := openSecret(dir)
	require.NoError(t, err)
	fake := timerClock{testingclock.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), make(chan time.Duration)}
	sec.clock = fake
	s := secrets.NewStore(sec)

	done := make(chan error, 1)
	go func() {
		_, err := s.Put(t.Context(), []byte("v1"), nil)
		done <- err
	}()
	want := lockWaitFirst
	var waits []time.Duration
	for range 8 {
		waits = append(waits, <-fake.timers)
		fake.Step(want)
		want = min(2*want, lockWaitMax)
	}
	assert.Equal(t, []time.Duration{
		time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond,
		16 * time.Millisecond, 32 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond,
	}, waits)
	release()
	// The waiter may have asked again before the release: let its last
	// wait run out until it has the lock.
	for {
		select {
		case err := <-done:
			require.NoError(t, err)
			cur, err := s.Current(t.Context())
			require.NoError(t, err)
			assert.Equal(t, "v1", string(cur.Value()))
			return
		case d := <-fake.timers:
			fake.Step(d)
		}
	}
}
