package k8slease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes"
	coordinationclient "k8s.io/client-go/kubernetes/typed/coordination/v1"
	"k8s.io/utils/clock"

	"github.com/snowpat/snowpat/policy"
)

// KeyAnnotation records on each Lease the key it guards, for people and
// so that two keys can never silently share a Lease.
const KeyAnnotation = "snowpat.io/lock-key"

// DefaultPrefix starts every Lease's name unless Options.Prefix is set.
const DefaultPrefix = "snowpat-"

// Options configure a Locker. Namespace and Identity are required.
type Options struct {
	// Namespace holds the Leases.
	Namespace string
	// Identity names this replica in the Leases it holds (the pod's name,
	// say); each grant adds a random suffix, so two grants never share a
	// holder identity, even in one process or between replicas given the
	// same Identity.
	Identity string
	// Prefix starts each Lease's name; default DefaultPrefix. It must be a
	// valid start of a Kubernetes name: lowercase letters, digits, '-' and
	// '.'.
	Prefix string
	// Duration is how long a Lease lasts without renewal, in whole
	// seconds: the most a crashed replica delays a target, and how long
	// other replicas wait after they last saw the Lease change. Default
	// one minute.
	Duration time.Duration
	// RenewEvery is how often a held Lease is renewed; default Duration/4.
	RenewEvery time.Duration
	// Margin is how long before the Lease could expire, as others judge it,
	// a holder stops trusting it: the allowance for clocks that run at
	// different rates and for one step that began just before. Default
	// Duration/4; RenewEvery must leave room for a renewal before it.
	Margin time.Duration
	// Clock defaults to the system clock.
	Clock clock.Clock
}

func (o *Options) defaults() error {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Duration == 0 {
		o.Duration = time.Minute
	}
	if o.RenewEvery == 0 {
		o.RenewEvery = o.Duration / 4
	}
	if o.Margin == 0 {
		o.Margin = o.Duration / 4
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: k8slease: "+format, append([]any{policy.ErrInvalidArgument}, args...)...)
	}
	switch {
	case len(validation.IsDNS1123Label(o.Namespace)) > 0:
		return bad("namespace %q is not a valid namespace name", o.Namespace)
	case o.Identity == "":
		return bad("an identity is required (the pod's name)")
	case len(validation.IsDNS1123Subdomain(o.Prefix+"x")) > 0:
		return bad("prefix %q cannot start a Lease name", o.Prefix)
	case o.Duration < time.Second || o.Duration%time.Second != 0:
		return bad("duration %v is not a whole number of seconds", o.Duration)
	case o.Margin <= 0 || o.RenewEvery <= 0 || o.RenewEvery >= o.Duration-o.Margin:
		return bad("renewing every %v leaves no renewal before the lease is distrusted (%v before it ends, of %v)",
			o.RenewEvery, o.Margin, o.Duration)
	}
	return nil
}

// Locker is a policy.Locker on coordination.k8s.io/v1 Leases: one Lease
// per key. It is safe for concurrent use.
type Locker struct {
	leases coordinationclient.LeaseInterface
	o      Options

	mu   sync.Mutex
	seen map[string]sighting // Leases held by others: what was seen, and when

	onRenew func(key string, err error) // for tests: called after each renewal
}

// sighting is a Lease record as this Locker first saw it.
type sighting struct {
	version string
	at      time.Time
}

var _ policy.Locker = (*Locker)(nil)

// New returns a Locker over client's Leases in o.Namespace.
func New(client kubernetes.Interface, o Options) (*Locker, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: k8slease: a nil kubernetes.Interface", policy.ErrInvalidArgument)
	}
	if err := o.defaults(); err != nil {
		return nil, err
	}
	return &Locker{leases: client.CoordinationV1().Leases(o.Namespace), o: o, seen: map[string]sighting{}}, nil
}

// Lock takes key's Lease without waiting: it creates the Lease, or takes
// it over when it is free (released) or expired (unchanged for its
// duration since this Locker first saw it), with an update on the
// resourceVersion it read, so that of two replicas racing for it exactly
// one wins. Otherwise it returns an error wrapping policy.ErrLocked.
func (l *Locker) Lock(ctx context.Context, key string) (policy.Lock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := l.o.Clock.Now() // the Lease is ours for a duration from no earlier than this
	name := LeaseName(l.o.Prefix, key)
	holder := l.o.Identity + "_" + randomSuffix()
	cur, err := l.leases.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		created, err := l.leases.Create(ctx, l.record(&coordinationv1.Lease{}, name, key, holder, start), metav1.CreateOptions{})
		if err != nil {
			// client-go resends a create answered 5xx with Retry-After, and
			// the resend of one that landed is AlreadyExists: a lost answer
			// must not be taken for another replica's lease.
			if mine, ok := l.landed(ctx, name, holder); ok {
				return l.grant(key, mine, start), nil
			}
		}
		if apierrors.IsAlreadyExists(err) {
			return nil, fmt.Errorf("%w: lease %s was just created by another replica", policy.ErrLocked, name)
		}
		if err != nil {
			return nil, fmt.Errorf("k8slease: creating lease %s: %w", name, err)
		}
		return l.grant(key, created, start), nil
	}
	if err != nil {
		return nil, fmt.Errorf("k8slease: reading lease %s: %w", name, err)
	}
	if k := cur.Annotations[KeyAnnotation]; k != "" && k != key {
		return nil, fmt.Errorf("k8slease: lease %s guards key %q, not %q: give this locker another prefix", name, k, key)
	}
	if h := holderOf(cur); h != "" && !l.expired(name, cur) {
		return nil, fmt.Errorf("%w: lease %s is held by %s", policy.ErrLocked, name, h)
	}
	next := l.record(cur.DeepCopy(), name, key, holder, start)
	transitions := ptrOr(cur.Spec.LeaseTransitions, 0) + 1 // every grant is a new holder
	next.Spec.LeaseTransitions = &transitions
	taken, err := l.leases.Update(ctx, next, metav1.UpdateOptions{})
	if err != nil {
		// A resent update that had landed is a Conflict on the stale
		// resourceVersion: recognise our own holder before calling it lost.
		if mine, ok := l.landed(ctx, name, holder); ok {
			taken, err = mine, nil
		}
	}
	if apierrors.IsConflict(err) || apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("%w: lease %s changed while taking it", policy.ErrLocked, name)
	}
	if err != nil {
		return nil, fmt.Errorf("k8slease: taking lease %s: %w", name, err)
	}
	l.mu.Lock()
	delete(l.seen, name)
	l.mu.Unlock()
	return l.grant(key, taken, start), nil
}

// landed reads lease name again after a write that failed, and returns it
// if holder — this grant's own identity, unique to it — holds it: the
// write landed and only its answer was lost.
func (l *Locker) landed(ctx context.Context, name, holder string) (*coordinationv1.Lease, bool) {
	cur, err := l.leases.Get(ctx, name, metav1.GetOptions{})
	if err != nil || holderOf(cur) != holder {
		return nil, false
	}
	return cur, true
}

// record fills in lease as held by holder from now.
func (l *Locker) record(lease *coordinationv1.Lease, name, key, holder string, now time.Time) *coordinationv1.Lease {
	lease.Name, lease.Namespace = name, l.o.Namespace
	if lease.Annotations == nil {
		lease.Annotations = map[string]string{}
	}
	lease.Annotations[KeyAnnotation] = key
	secs := int32(l.o.Duration / time.Second)
	t := metav1.NewMicroTime(now)
	lease.Spec.HolderIdentity = &holder
	lease.Spec.LeaseDurationSeconds = &secs
	lease.Spec.AcquireTime, lease.Spec.RenewTime = &t, &t
	if lease.Spec.LeaseTransitions == nil {
		zero := int32(0)
		lease.Spec.LeaseTransitions = &zero
	}
	return lease
}

// expired reports whether a Lease held by someone else may be taken: it
// has not changed for its own duration since this Locker first saw it as
// it is. Judging by this Locker's clock alone, and never by the
// renewTime another replica's clock wrote, is what makes the lease safe
// when clocks disagree (as client-go's leader election does); the price is
// that a replica that starts while a dead one's Lease is still there
// waits one duration before taking it.
func (l *Locker) expired(name string, cur *coordinationv1.Lease) bool {
	now := l.o.Clock.Now() // after the read: the record was there by now
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.seen[name]
	if !ok || s.version != cur.ResourceVersion {
		l.seen[name] = sighting{version: cur.ResourceVersion, at: now}
		return false
	}
	d := l.o.Duration
	if secs := ptrOr(cur.Spec.LeaseDurationSeconds, 0); secs > 0 {
		d = time.Duration(secs) * time.Second // the holder's own, if it differs
	}
	return !now.Before(s.at.Add(d))
}

func holderOf(l *coordinationv1.Lease) string { return ptrOr(l.Spec.HolderIdentity, "") }

func ptrOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
