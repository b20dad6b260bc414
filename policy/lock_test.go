package policy_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/filestore"
	"github.com/snowpat/snowpat/secrets/memstore"
)

func TestLeaseLocker(t *testing.T) {
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
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
	clock.Step(61 * time.Second)
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
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
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

// One engine with a lease locker, two Applies of one target at once: the
// second is refused while the first holds the lease — the same owner does
// not get the lease twice. (Issue 14.3.)
func TestLeaseLockerOneHolderPerKey(t *testing.T) {
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	store := memstore.OpenStore(t.Name())
	a, err := policy.NewLeaseLocker(store, "replica", time.Minute, clock)
	require.NoError(t, err)
	same, err := policy.NewLeaseLocker(store, "replica", time.Minute, clock)
	require.NoError(t, err)
	held, err := a.Lock(ctx, "k")
	require.NoError(t, err)
	_, err = a.Lock(ctx, "k")
	require.ErrorIs(t, err, policy.ErrLocked, "the same locker granted the key twice")
	_, err = same.Lock(ctx, "k")
	require.ErrorIs(t, err, policy.ErrLocked, "a locker with the same owner name took a held key")
	require.NoError(t, held.Check(ctx))
	require.NoError(t, held.Unlock(ctx))
	held, err = same.Lock(ctx, "k")
	require.NoError(t, err)
	require.NoError(t, held.Unlock(ctx))

	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	park := w.faults.Block(memstore.Match{Op: memstore.OpPutPending})
	e := w.engine(func(o *policy.Options) { o.Locker = a })
	done := make(chan error, 1)
	go func() { _, err := e.Apply(ctx, tg); done <- err }()
	<-park.Reached(1) // the first Apply is inside its install, holding the lease
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, policy.ErrLocked)
	park.Remove()
	require.NoError(t, <-done)
	w.requireWorks(tg)
}

// Leases change hands many times without the lease secret growing by a
// version each time. (Issue 14.3.)
func TestLeaseLockerKeepsFewVersions(t *testing.T) {
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	store, err := filestore.OpenStore(t.TempDir() + "/leases")
	require.NoError(t, err)
	defer store.Close()
	l, err := policy.NewLeaseLocker(store, "a", time.Minute, clock)
	require.NoError(t, err)
	for i := 0; i < 50; i++ {
		held, err := l.Lock(ctx, "k")
		require.NoError(t, err)
		require.NoError(t, held.Unlock(ctx))
	}
	infos, err := store.List(ctx)
	require.NoError(t, err)
	require.LessOrEqual(t, len(infos), 2, "100 writes left %d versions", len(infos))
}

// hangingStore blocks every call until its context ends.
type hangingStore struct{ driver.Secret }

func (h hangingStore) Get(ctx context.Context, _ driver.Selector) (*driver.Version, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// Releasing a lease on a store that hangs gives up after a bounded time on
// the locker's clock, leaving the lease to expire, so a deferred unlock
// cannot stall an Apply or a shutdown. (Issue 14.3.)
func TestLeaseUnlockIsBounded(t *testing.T) {
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	inner := memstore.NewDriver()
	hang := &switchable{Secret: inner}
	l, err := policy.NewLeaseLocker(secrets.NewStore(hang), "a", time.Minute, clock)
	require.NoError(t, err)
	held, err := l.Lock(ctx, "k")
	require.NoError(t, err)
	hang.hang.Store(true)
	done := make(chan error, 1)
	go func() { done <- held.Unlock(ctx) }()
	parked(t, clock, 1)
	clock.Step(6 * time.Second) // a tenth of the ttl
	err = <-done
	require.Error(t, err)
	require.Contains(t, err.Error(), "timed out")
}

// switchable passes calls through until told to hang.
type switchable struct {
	driver.Secret
	hang atomic.Bool
}

func (s *switchable) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if s.hang.Load() {
		return hangingStore{}.Get(ctx, sel)
	}
	return s.Secret.Get(ctx, sel)
}

func (s *switchable) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	return s.Secret.(driver.CompareAndSwapper).PutIf(ctx, req, pre)
}

func (s *switchable) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.Secret.(driver.CompareAndSwapper).PromoteIf(ctx, id, pre)
}

// losingLocker grants locks that are lost after a number of checks.
type losingLocker struct{ after int }

type losingLock struct{ left int }

func (l losingLocker) Lock(context.Context, string) (policy.Lock, error) {
	return &losingLock{left: l.after}, nil
}

func (l *losingLock) Check(context.Context) error {
	if l.left == 0 {
		return policy.ErrLockLost
	}
	l.left--
	return nil
}

func (l *losingLock) Unlock(context.Context) error { return nil }

// An engine whose lock is lost mid-rotation takes no further step: the
// fence is checked before every change. (Issue 14.3, 21.)
func TestLostLockStopsTheEngine(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	tg := w.target("SVC", policy.Production(), 2)
	_, err := w.engine().Apply(ctx, tg)
	require.NoError(t, err)
	w.Clock.Step(91 * policy.Day)
	before := w.Count(policy.EventPromoted)
	// rotate, store pending ×2, then the lock is gone before the promotes.
	e := w.engine(func(o *policy.Options) { o.Locker = losingLocker{after: 3} })
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, policy.ErrLockLost)
	require.Equal(t, before, w.Count(policy.EventPromoted), "a promotion happened after the lock was lost")
	w.requireWorks(tg)
	_, err = w.engine().Apply(ctx, tg)
	require.NoError(t, err)
	w.requireWorks(tg)
}
