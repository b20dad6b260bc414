package policy_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/filestore"
	"github.com/snowpat/snowpat/secrets/memstore"
)

func TestLeaseLocker(t *testing.T) {
	clock := pattest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	open := func() *secrets.Store {
		s, err := filestore.OpenStore(dir + "/leases")
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	a, err := policy.NewLeaseLocker(open(), "replica-a", time.Minute, clock)
	require.NoError(t, err)
	b, err := policy.NewLeaseLocker(open(), "replica-b", time.Minute, clock)
	require.NoError(t, err)
	ctx := context.Background()

	la, err := a.Lock(ctx, "t1")
	require.NoError(t, err)
	_, err = b.Lock(ctx, "t1")
	require.ErrorIs(t, err, policy.ErrLocked)
	lb, err := b.Lock(ctx, "t2") // other keys are free
	require.NoError(t, err)
	require.NoError(t, lb.Unlock(ctx))
	require.NoError(t, la.Unlock(ctx))
	lb, err = b.Lock(ctx, "t1")
	require.NoError(t, err)

	// A replica that dies holding a lease blocks others only for the ttl.
	_, err = a.Lock(ctx, "t1")
	require.ErrorIs(t, err, policy.ErrLocked)
	clock.Advance(61 * time.Second)
	la, err = a.Lock(ctx, "t1")
	require.NoError(t, err)
	require.ErrorIs(t, lb.Check(ctx), policy.ErrLockLost, "b's lease ran out and was taken: b must stop")
	require.NoError(t, lb.Unlock(ctx)) // a no-op, never a release of a later holder
	_, err = b.Lock(ctx, "t1")
	require.ErrorIs(t, err, policy.ErrLocked, "b's late release freed a's lease")
	require.NoError(t, la.Unlock(ctx))
}

// TestLeaseLockerContention: many replicas race for one key; exactly one
// holds it at any moment.
func TestLeaseLockerContention(t *testing.T) {
	clock := pattest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	name := t.Name()
	var holders, maxHolders, wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		l, err := policy.NewLeaseLocker(memstore.OpenStore(name), string(rune('a'+i)), time.Hour, clock)
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				held, err := l.Lock(context.Background(), "k")
				if err != nil {
					continue
				}
				n := holders.Add(1)
				for {
					m := maxHolders.Load()
					if n <= m || maxHolders.CompareAndSwap(m, n) {
						break
					}
				}
				wins.Add(1)
				holders.Add(-1)
				_ = held.Unlock(context.Background())
			}
		}()
	}
	wg.Wait()
	require.Equal(t, int32(1), maxHolders.Load())
	require.Positive(t, wins.Load())
}

func TestLeaseLockerNeedsCAS(t *testing.T) {
	s := secrets.NewStore(noCAS{memstore.NewDriver()})
	_, err := policy.NewLeaseLocker(s, "a", time.Minute, nil)
	require.ErrorIs(t, err, secrets.ErrUnsupported)
}
