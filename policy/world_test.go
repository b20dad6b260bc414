package policy_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// world is policytest's World, the one our users get, with what only this
// package's tests need on top: the fault campaign's store injector and
// Kubernetes Secrets, a fault on verification, and which campaign actor
// raised each event. Everything else is the World's, not a second copy.
type world struct {
	*policytest.World
	t      *testing.T
	faults *memstore.Faults
	rec    *recorder
	// wrap, when set, puts the world's store drivers behind another
	// injector than faults (the campaign's); verifyFault may fail a
	// verification before it is tried. Both are read when a store or an
	// engine is made.
	wrap func(d driver.Secret, url string) driver.Secret
	// base, when set, opens the driver under the injector instead of a
	// memstore (the campaign's Kubernetes Secrets).
	base        func(url string) driver.Secret
	verifyFault func(ctx context.Context, user string) error
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, faults: &memstore.Faults{}}
	w.World = policytest.New(t, policytest.WithStores(w.open))
	w.rec = &recorder{}
	return w
}

// open makes the world's store for url: a memstore under the world's
// faults, or the campaign's driver behind its injector.
func (w *world) open(url string) *secrets.Store {
	if w.wrap == nil {
		return memstore.OpenStore(url, memstore.WithFaults(w.faults))
	}
	open := memstore.OpenDriver
	if w.base != nil {
		open = w.base
	}
	return secrets.NewStore(w.wrap(open(url), url))
}

// engine makes a fresh engine, as a new process would: nothing is shared
// with earlier engines but Snowflake and the stores.
func (w *world) engine(opts ...func(*policy.Options)) *policy.Engine {
	w.t.Helper()
	return w.Engine(append([]func(*policy.Options){w.instrument}, opts...)...)
}

// instrument adds the verification fault and the actor of each event to
// the World's options.
func (w *world) instrument(o *policy.Options) {
	verify := o.Verify
	o.Verify = func(ctx context.Context, user string, s pat.Secret) error {
		if w.verifyFault != nil {
			w.Remember(s)
			if err := w.verifyFault(ctx, user); err != nil {
				return err
			}
		}
		return verify(ctx, user, s)
	}
	inner := o.Observer
	o.Observer = policy.ObserverFunc(func(ctx context.Context, ev policy.Event) {
		w.rec.actor(ctx, ev)
		inner.Event(ctx, ev)
	})
}

func (w *world) exec(stmts ...string) {
	w.t.Helper()
	for _, s := range stmts {
		_, err := w.DB.Exec(s)
		require.NoError(w.t, err, s)
	}
}

var storeSeq atomic.Int64

// target is a target for a new service user with fresh stores.
func (w *world) target(user string, p policy.Policy, stores int) policy.Target {
	urls := make([]string, stores)
	for i := range urls {
		urls[i] = fmt.Sprintf("mem://%s/%d", strings.ToLower(user), storeSeq.Add(1))
	}
	tg := w.Target(user, p, urls...)
	// The World gives a target without stores one of its own; the
	// campaign names its stores itself.
	tg.Stores = urls
	return tg
}

// stored is the current secret of the target's i-th store.
func (w *world) stored(t policy.Target, i int) (pat.StoredToken, bool) {
	return w.Stored(t.Stores[i])
}

// requireWorks asserts that every store's current secret logs in now.
func (w *world) requireWorks(t policy.Target) {
	w.t.Helper()
	if !w.RequireWorks(w.t, t) {
		w.t.FailNow()
	}
}

// activeNonRotated counts the user's active tokens that are not
// rotated-out secrets.
func (w *world) activeNonRotated(user string) int {
	n := 0
	for _, tok := range w.Tokens(user) {
		if tok.Status == pat.StatusActive && !tok.IsRotated() {
			n++
		}
	}
	return n
}

// recorder keeps which campaign actor raised each event, beside the event
// (the World keeps the events themselves).
type recorder struct {
	mu     sync.Mutex
	events []policy.Event // in the order actors are kept
	actors []int          // the campaign actor that raised each event, -1 for none
}

func (r *recorder) actor(ctx context.Context, ev policy.Event) {
	id := -1
	if a := actorOf(ctx); a != nil {
		id = a.id
	}
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.actors = append(r.actors, id)
	r.mu.Unlock()
}
