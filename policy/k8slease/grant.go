package k8slease

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/clock"

	"github.com/snowpat/snowpat/policy"
)

// maxReleaseWait caps how long Unlock tries to release a Lease.
const maxReleaseWait = 10 * time.Second

// grant is one held Lease: the policy.Lock Lock returns.
type grant struct {
	l      *Locker
	key    string
	name   string
	holder string

	mu       sync.Mutex
	lease    *coordinationv1.Lease // as last written by this grant
	deadline time.Time             // when this grant stops trusting the Lease
	lost     error                 // why the Lease is lost, once it is
	taken    bool                  // lost to another holder (or deleted)
	released bool

	stop context.CancelFunc // ends the renewer and its request
	done chan struct{}      // closed when the renewer has returned
}

// grant starts holding lease, taken at start, and renewing it.
func (l *Locker) grant(key string, lease *coordinationv1.Lease, start time.Time) *grant {
	ctx, stop := context.WithCancel(context.Background())
	g := &grant{
		l: l, key: key, name: lease.Name, holder: holderOf(lease), lease: lease,
		deadline: l.fence(start), stop: stop, done: make(chan struct{}),
	}
	// The first timer is set before Lock returns, so that a test stepping
	// a fake clock right after cannot outrun it.
	go g.renewLoop(ctx, l.o.Clock.NewTimer(l.o.RenewEvery))
	return g
}

// fence is the deadline of a Lease written at a time no earlier than
// start: others take it over no sooner than a duration after they saw the
// write, so this holder stops a margin before that.
func (l *Locker) fence(start time.Time) time.Time {
	return start.Add(l.o.Duration - l.o.Margin)
}

// Check returns nil while the Lease is certainly held: no renewal has
// seen it taken, and the fence deadline of the last successful write has
// not passed. It sends nothing: renewal is the renewer's, so checking
// before every step costs nothing.
func (g *grant) Check(context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.lost != nil:
		return g.lost
	case g.released:
		return fmt.Errorf("%w: lease %s was released", policy.ErrLockLost, g.name)
	case !g.l.o.Clock.Now().Before(g.deadline):
		g.lost = g.expiredErr()
		return g.lost
	}
	return nil
}

func (g *grant) expiredErr() error {
	return fmt.Errorf("%w: lease %s was not renewed in time; another replica may take it over", policy.ErrLockLost, g.name)
}

// renewLoop renews the Lease every RenewEvery until it is released or
// lost. The next timer is set before a test hears of a renewal, so that a
// test stepping a fake clock afterwards cannot skew the schedule.
func (g *grant) renewLoop(ctx context.Context, t clock.Timer) {
	defer close(g.done)
	for {
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		holds, err := g.renew(ctx)
		if holds {
			t = g.l.o.Clock.NewTimer(g.l.o.RenewEvery)
		}
		if g.l.onRenew != nil {
			g.l.onRenew(g.key, err)
		}
		if !holds {
			return
		}
	}
}

// renew writes a new renewTime on the resourceVersion last written, and
// reports whether the grant still holds, and the renewal's error. A request is cut off at the fence
// deadline: a renewal that lands later would be of no use, since the
// grant has stopped trusting the Lease by then.
func (g *grant) renew(ctx context.Context) (bool, error) {
	start := g.l.o.Clock.Now()
	g.mu.Lock()
	if g.lost == nil && !g.released && !start.Before(g.deadline) {
		g.lost = g.expiredErr()
	}
	if g.lost != nil || g.released {
		g.mu.Unlock()
		return false, nil
	}
	next, deadline := g.lease.DeepCopy(), g.deadline
	g.mu.Unlock()

	rctx, cancel := untilDeadline(ctx, g.l.o.Clock, deadline)
	renewed, err := g.write(rctx, next, func(l *coordinationv1.Lease) {
		t := metav1.NewMicroTime(start)
		l.Spec.RenewTime = &t
	})
	cancel()

	g.mu.Lock()
	switch {
	case errors.Is(err, policy.ErrLockLost):
		g.lost, g.taken = err, true
	case err == nil && g.lost == nil && !g.released:
		g.lease, g.deadline = renewed, g.l.fence(start)
	case err != nil && g.lost == nil && !g.l.o.Clock.Now().Before(g.deadline):
		g.lost = g.expiredErr() // cut off at the fence: no use renewing on
	}
	holds := g.lost == nil && !g.released
	g.mu.Unlock()
	return holds, err
}

// write updates the Lease from next (the record last written, changed by
// change) on next's resourceVersion. If the Lease changed meanwhile it
// rereads it: still this grant's (someone edited a label), it writes again
// on the new version; another holder's or gone, it returns an error
// wrapping policy.ErrLockLost.
func (g *grant) write(ctx context.Context, next *coordinationv1.Lease, change func(*coordinationv1.Lease)) (*coordinationv1.Lease, error) {
	for range 2 {
		change(next)
		out, err := g.l.leases.Update(ctx, next, metav1.UpdateOptions{})
		if err == nil || !apierrors.IsConflict(err) {
			return out, g.gone(err)
		}
		cur, err := g.l.leases.Get(ctx, g.name, metav1.GetOptions{})
		if err != nil {
			return nil, g.gone(err)
		}
		if h := holderOf(cur); h != g.holder {
			return nil, fmt.Errorf("%w: lease %s is held by %s now", policy.ErrLockLost, g.name, h)
		}
		next = cur
	}
	return nil, errors.New("k8slease: lease " + g.name + " keeps changing")
}

// gone turns NotFound into the loss of the Lease.
func (g *grant) gone(err error) error {
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: lease %s was deleted: %w", policy.ErrLockLost, g.name, err)
	}
	return err
}

// Unlock stops renewing and releases the Lease (clears its holder, on the
// resourceVersion last written, so that a Lease taken over meanwhile is
// left to its new holder). It gives up after a quarter of the margin (at
// most 10 s) on the Locker's clock, leaving the Lease to expire, so that a
// hung API server cannot stall a shutdown; ctx being done already does
// not stop the release.
func (g *grant) Unlock(ctx context.Context) error {
	g.mu.Lock()
	if g.released {
		g.mu.Unlock()
		return nil
	}
	g.released = true
	g.mu.Unlock()
	g.stop()
	<-g.done

	g.mu.Lock()
	next, taken := g.lease.DeepCopy(), g.taken
	g.mu.Unlock()
	if taken {
		return nil // nothing of ours to release
	}
	wait := min(g.l.o.Margin/4, maxReleaseWait)
	rctx, cancel := untilDeadline(context.WithoutCancel(ctx), g.l.o.Clock, g.l.o.Clock.Now().Add(wait))
	defer cancel()
	_, err := g.write(rctx, next, func(l *coordinationv1.Lease) { l.Spec.HolderIdentity = nil })
	if errors.Is(err, policy.ErrLockLost) {
		return nil // taken over meanwhile: the Lease is its new holder's
	}
	if err != nil && errors.Is(context.Cause(rctx), errPastDeadline) {
		return fmt.Errorf("k8slease: releasing lease %s timed out after %v; it expires by itself", g.name, wait)
	}
	if err != nil {
		return fmt.Errorf("k8slease: releasing lease %s: %w", g.name, err)
	}
	return nil
}
