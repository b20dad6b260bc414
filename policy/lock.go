package policy

import (
	"context"
	"errors"
	"sync"
)

// Locker gives one rotator at a time the right to change a target.
type Locker interface {
	// Lock takes the lock for key without waiting: it returns ErrLocked
	// when anyone else holds it — another replica, another Apply of the
	// same engine, another Locker with the same owner name.
	Lock(ctx context.Context, key string) (Lock, error)
}

// Lock is a lock a Locker granted.
type Lock interface {
	// Check returns nil while the lock is certainly still held, and an
	// error wrapping ErrLockLost once it may not be (a lease that expired,
	// or was taken over after a partition). The engine checks it before
	// every step that changes Snowflake or a store, so a rotator that lost
	// its lock takes no further step: the fence.
	Check(ctx context.Context) error
	// Unlock releases the lock. It returns within a bounded time even when
	// the backend hangs (a lease is then left to expire), and releasing a
	// lock that was lost does nothing to its new holder.
	Unlock(ctx context.Context) error
}

// ErrLocked is returned when another rotator holds a target's lock.
var ErrLocked = errors.New("policy: target is locked by another rotator")

// ErrLockLost is returned when a lock was lost while work was under way;
// the work stopped before its next change.
var ErrLockLost = errors.New("policy: the target's lock was lost")

// NewLocalLocker returns a Locker for engines within one process.
func NewLocalLocker() Locker { return &localLocker{held: map[string]*localLock{}} }

type localLocker struct {
	mu   sync.Mutex
	held map[string]*localLock
}

type localLock struct {
	l        *localLocker
	key      string
	released bool
}

func (l *localLocker) Lock(ctx context.Context, key string) (Lock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[key] != nil {
		return nil, ErrLocked
	}
	h := &localLock{l: l, key: key}
	l.held[key] = h
	return h, nil
}

// Check: an in-process lock cannot be lost while held.
func (h *localLock) Check(context.Context) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if h.released {
		return ErrLockLost
	}
	return nil
}

func (h *localLock) Unlock(context.Context) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	if !h.released && h.l.held[h.key] == h {
		delete(h.l.held, h.key)
	}
	h.released = true
	return nil
}
