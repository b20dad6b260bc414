package policy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/snowpat/snowpat/secrets"
)

// NewLeaseLocker returns a Locker for several replicas sharing one secret
// store that supports compare-and-swap: the leases of every key live in
// one secret as JSON, changed only by compare-and-swap on its current
// version, so two replicas can never both win.
//
// Every grant is a new lease with a random identity, so a key is held by
// one holder at a time even within one engine or between lockers given the
// same owner name; owner only says who holds it, for people. A lease lasts
// ttl on clock: a replica that dies holding one blocks the target that
// long. While work goes on, [Lock.Check] renews the lease once half of it
// has passed and reports it lost once it has run out without a renewal or
// someone else holds it; the engine checks before every change, so a
// partitioned replica stops changing things within ttl. This assumes the
// replicas' clocks agree to within a tenth of ttl.
//
// Each write replaces the table's current version; the version it replaced
// is destroyed where the store can (retired elsewhere), so the secret keeps
// a bounded number of versions however often leases change hands. Unlock
// gives up after a tenth of ttl (at most 10 s) on clock, leaving the lease
// to expire, so a hung store cannot stall a shutdown.
func NewLeaseLocker(store *secrets.Store, owner string, ttl time.Duration, clock Clock) (Locker, error) {
	switch {
	case store == nil:
		return nil, fmt.Errorf("%w: lease locker: a store is required", ErrInvalidArgument)
	case !store.SupportsCompareAndSwap():
		return nil, fmt.Errorf("policy: lease locker: %w", secrets.ErrUnsupported)
	case owner == "" || ttl <= 0:
		return nil, fmt.Errorf("%w: lease locker needs an owner and a positive ttl", ErrInvalidArgument)
	}
	if clock == nil {
		clock = SystemClock{}
	}
	return &leaseLocker{store: store, owner: owner, ttl: ttl, clock: clock}, nil
}

type leaseLocker struct {
	store *secrets.Store
	owner string
	ttl   time.Duration
	clock Clock
}

// leaseEntry is one key's lease in the table.
type leaseEntry struct {
	Owner   string    `json:"owner"`
	ID      string    `json:"id"`
	Expires time.Time `json:"expires"`
}

// maxLeaseTries bounds the compare-and-swap loop when replicas contend
// for different keys in the same lease secret.
const maxLeaseTries = 16

func (l *leaseLocker) Lock(ctx context.Context, key string) (Lock, error) {
	start := l.clock.Now()
	id := newLeaseID()
	err := l.update(ctx, func(m map[string]leaseEntry, now time.Time) (bool, error) {
		if cur, ok := m[key]; ok && now.Before(cur.Expires) {
			return false, ErrLocked
		}
		m[key] = leaseEntry{Owner: l.owner, ID: id, Expires: now.Add(l.ttl)}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	// The lease is held until start+ttl at the latest: the table says
	// now+ttl with a now no earlier than start.
	return &lease{l: l, key: key, id: id, until: start.Add(l.ttl)}, nil
}

// lease is one granted lease.
type lease struct {
	l   *leaseLocker
	key string
	id  string

	mu    sync.Mutex
	until time.Time // when this holder must stop believing it holds the lease
	lost  bool
}

// margin is how long before its expiry a lease is no longer trusted: the
// allowance for clocks that disagree.
func (h *lease) margin() time.Duration { return h.l.ttl / 10 }

func (h *lease) Check(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lost {
		return ErrLockLost
	}
	now := h.l.clock.Now()
	if now.Before(h.until.Add(-h.l.ttl / 2)) {
		return nil // fresh enough: no request
	}
	err := h.l.update(ctx, func(m map[string]leaseEntry, at time.Time) (bool, error) {
		if m[h.key].ID != h.id {
			return false, ErrLockLost
		}
		m[h.key] = leaseEntry{Owner: h.l.owner, ID: h.id, Expires: at.Add(h.l.ttl)}
		return true, nil
	})
	switch {
	case err == nil:
		h.until = now.Add(h.l.ttl)
		return nil
	case errors.Is(err, ErrLockLost):
		h.lost = true
		return fmt.Errorf("%w: %s is held by another rotator now", ErrLockLost, h.key)
	case now.Before(h.until.Add(-h.margin())):
		return nil // renewal failed, but the lease is still ours for a while
	}
	h.lost = true
	return fmt.Errorf("%w: the lease on %s ran out and could not be renewed: %w", ErrLockLost, h.key, err)
}

func (h *lease) Unlock(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lost {
		return nil
	}
	h.lost = true
	timeout := min(h.l.ttl/10, 10*time.Second)
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- h.l.update(rctx, func(m map[string]leaseEntry, _ time.Time) (bool, error) {
			if m[h.key].ID != h.id {
				return false, nil // expired and taken: nothing of ours to release
			}
			delete(m, h.key)
			return true, nil
		})
	}()
	timer := h.l.clock.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C():
		cancel()
		<-done
		return fmt.Errorf("policy: releasing the lease on %s timed out; it expires by itself", h.key)
	}
}

// update applies change to the lease table with compare-and-swap,
// retrying when another replica changed it in between. change reports
// whether it changed the table; entries that expired a ttl ago are dropped
// whenever it is written.
func (l *leaseLocker) update(ctx context.Context, change func(map[string]leaseEntry, time.Time) (bool, error)) error {
	for try := 0; try < maxLeaseTries; try++ {
		m := map[string]leaseEntry{}
		pre := secrets.IfAbsent()
		prevID := ""
		v, err := l.store.Current(ctx)
		switch {
		case err == nil:
			if err := json.Unmarshal(v.Value(), &m); err != nil {
				return fmt.Errorf("policy: lease table is not valid JSON: %w", err)
			}
			pre, prevID = secrets.IfCurrent(v.ID), v.ID
		case errors.Is(err, secrets.ErrNotFound):
		default:
			return err
		}
		now := l.clock.Now()
		changed, err := change(m, now)
		if err != nil || !changed {
			return err
		}
		for k, e := range m {
			if now.After(e.Expires.Add(l.ttl)) {
				delete(m, k)
			}
		}
		b, _ := json.Marshal(m)
		_, err = l.store.PutIf(ctx, b, pre, nil)
		if errors.Is(err, secrets.ErrConflict) {
			continue
		}
		if err == nil && prevID != "" {
			l.forget(ctx, prevID)
		}
		return err
	}
	return fmt.Errorf("policy: lease table kept changing: %w", secrets.ErrConflict)
}

// forget removes a replaced version of the table, so the secret does not
// grow by a version on every grant and release. Best effort: a version
// left behind costs only storage.
func (l *leaseLocker) forget(ctx context.Context, id string) {
	if l.store.SupportsDestroy() {
		if err := l.store.Destroy(ctx, id); err == nil || errors.Is(err, secrets.ErrNotFound) {
			return
		}
	}
	_ = l.store.Retire(ctx, id)
}

func newLeaseID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
