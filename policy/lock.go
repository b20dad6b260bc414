package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/snowpat/snowpat/secrets"
)

// Locker gives one rotator at a time the right to change a target.
type Locker interface {
	// Lock takes the lock for key without waiting: it returns ErrLocked
	// when someone else holds it. unlock releases it.
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// NewLocalLocker returns a Locker for engines within one process.
func NewLocalLocker() Locker { return &localLocker{held: map[string]bool{}} }

type localLocker struct {
	mu   sync.Mutex
	held map[string]bool
}

func (l *localLocker) Lock(_ context.Context, key string) (func(), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[key] {
		return nil, ErrLocked
	}
	l.held[key] = true
	return func() {
		l.mu.Lock()
		delete(l.held, key)
		l.mu.Unlock()
	}, nil
}

// NewLeaseLocker returns a Locker for several replicas sharing one secret
// store that supports compare-and-swap: the leases of every key live in
// one secret as JSON, changed only by compare-and-swap on its current
// version, so two replicas can never both win. A lease expires after ttl
// on clock, so a replica that dies holding one blocks the target only
// that long; set ttl well above the longest apply.
func NewLeaseLocker(store *secrets.Store, owner string, ttl time.Duration, clock Clock) (Locker, error) {
	if !store.SupportsCompareAndSwap() {
		return nil, fmt.Errorf("policy: lease locker: %w", secrets.ErrUnsupported)
	}
	if owner == "" || ttl <= 0 {
		return nil, errors.New("policy: lease locker needs an owner and a positive ttl")
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

type lease struct {
	Owner   string    `json:"owner"`
	Expires time.Time `json:"expires"`
}

// maxLeaseTries bounds the compare-and-swap loop when replicas contend
// for different keys in the same lease secret.
const maxLeaseTries = 16

func (l *leaseLocker) Lock(ctx context.Context, key string) (func(), error) {
	if err := l.update(ctx, func(m map[string]lease, now time.Time) error {
		if cur, ok := m[key]; ok && cur.Owner != l.owner && now.Before(cur.Expires) {
			return ErrLocked
		}
		m[key] = lease{Owner: l.owner, Expires: now.Add(l.ttl)}
		return nil
	}); err != nil {
		return nil, err
	}
	return func() {
		// A failed release leaves the lease to expire; nothing else to do.
		_ = l.update(context.WithoutCancel(ctx), func(m map[string]lease, _ time.Time) error {
			if m[key].Owner == l.owner {
				delete(m, key)
			}
			return nil
		})
	}, nil
}

// update applies change to the lease table with compare-and-swap,
// retrying when another replica changed it in between.
func (l *leaseLocker) update(ctx context.Context, change func(map[string]lease, time.Time) error) error {
	for try := 0; try < maxLeaseTries; try++ {
		m := map[string]lease{}
		pre := secrets.IfAbsent()
		v, err := l.store.Current(ctx)
		switch {
		case err == nil:
			if err := json.Unmarshal(v.Value(), &m); err != nil {
				return fmt.Errorf("policy: lease table is not valid JSON: %w", err)
			}
			pre = secrets.IfCurrent(v.ID)
		case errors.Is(err, secrets.ErrNotFound):
		default:
			return err
		}
		if err := change(m, l.clock.Now()); err != nil {
			return err
		}
		b, _ := json.Marshal(m)
		_, err = l.store.PutIf(ctx, b, pre, nil)
		if errors.Is(err, secrets.ErrConflict) {
			continue
		}
		return err
	}
	return fmt.Errorf("policy: lease table kept changing: %w", secrets.ErrConflict)
}
