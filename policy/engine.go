package policy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"

	"go.opentelemetry.io/otel/metric"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/secrets"
)

// Verifier logs in as user with the secret and runs a trivial query; nil
// means the secret works. pat.Verify is the usual implementation.
type Verifier func(ctx context.Context, user string, secret pat.Secret) error

// Options configure an Engine. Admin and Verify are required.
type Options struct {
	// Admin is a pat.Client over an administrator connection that did not
	// log in with a PAT (key pair, OAuth or workload identity): Snowflake
	// refuses PAT management from PAT sessions.
	Admin *pat.Client
	// Verify checks a new secret before it is promoted.
	Verify Verifier
	// Clock defaults to the system clock.
	Clock Clock
	// Locker serialises work on one target; defaults to an in-process
	// locker. Use a lease (NewLeaseLocker) when several replicas run.
	Locker Locker
	// Observer receives events; Logger, when set, logs them too.
	Observer Observer
	Logger   *slog.Logger
	// MeterProvider records metrics; nil means no metrics.
	MeterProvider metric.MeterProvider
	// Retry bounds how hard one target is tried before it is marked failed.
	Retry Retry
	// Rand is the source of the jitter in retries and the run loop's
	// waits; nil means one seeded from the operating system. Tests give a
	// seeded one to replay a run exactly.
	Rand *rand.Rand
	// OpenStore opens a store URL; defaults to secrets.OpenStore. Opened
	// stores are kept for the engine's lifetime. Close closes those the
	// default opener opened; stores from a custom OpenStore belong to the
	// caller, who may share them between engines.
	OpenStore func(ctx context.Context, url string) (*secrets.Store, error)
	// StoreIdentity says which secret a store URL names, so that two
	// targets writing one secret under two spellings are refused (see
	// secrets.Identity, the default). Give your URLMux's Identity with an
	// OpenStore of your own.
	StoreIdentity func(url string) (string, error)
	// OpenDestination opens a push destination URL (Target.Push); defaults
	// to push.Open with the engine's clock, random source and logger, so
	// import the adapters (push/tableau, push/powerbi) whose schemes the
	// targets name. Opened destinations are kept for the engine's lifetime
	// and closed by Close when the default opener made them.
	OpenDestination func(ctx context.Context, url string) (*push.Destination, error)
	// Records is a store (one secret) where the engine keeps which secret
	// each push destination last received, as a fingerprint, so that a
	// restarted rotator does not push everything again. nil keeps the
	// records in memory: a new process pushes once more, which is
	// harmless, since a push is idempotent.
	Records *secrets.Store
}

// Engine evaluates and applies policies. It is safe for concurrent use on
// different targets; work on one target is serialised by its Locker.
type Engine struct {
	admin  *pat.Client
	verify Verifier
	clock  Clock
	locker Locker
	events Observer
	meters *meters
	retry  Retry
	rand   *lockedRand
	open   func(ctx context.Context, url string) (*secrets.Store, error)
	owns   bool // the engine opened its stores itself and closes them
	ident  func(url string) (string, error)

	openDest  func(ctx context.Context, url string) (*push.Destination, error)
	ownsDests bool
	records   *recordBook
	memo      *memo

	mu     sync.Mutex
	stores map[string]*storeEntry
	dests  map[string]*push.Destination
	claims map[string]string // store identity or "push:" destination URL → the target that uses it
}

// storeEntry is one opened store; its own mutex serialises opening it, so
// that the engine's mutex is never held across the network.
type storeEntry struct {
	mu sync.Mutex
	s  *secrets.Store
}

// New makes an Engine.
func New(o Options) (*Engine, error) {
	if o.Admin == nil || o.Verify == nil {
		return nil, fmt.Errorf("%w: Options.Admin and Options.Verify are required", ErrInvalidArgument)
	}
	e := &Engine{
		admin: o.Admin, verify: o.Verify, clock: o.Clock, locker: o.Locker,
		retry: o.Retry.withDefaults(), open: o.OpenStore, ident: o.StoreIdentity, rand: newLockedRand(o.Rand),
		stores: map[string]*storeEntry{}, claims: map[string]string{},
		openDest: o.OpenDestination, dests: map[string]*push.Destination{}, records: newRecordBook(o.Records),
		memo: newMemo(),
	}
	if e.clock == nil {
		e.clock = SystemClock{}
	}
	if e.locker == nil {
		e.locker = NewLocalLocker()
	}
	if e.open == nil {
		e.open, e.owns = secrets.OpenStore, true
	}
	if e.openDest == nil {
		popts := &push.Options{Clock: e.clock, Rand: rand.New(rand.NewPCG(uint64(e.rand.int64N(1<<62)), 0)), Logger: o.Logger}
		e.openDest = func(ctx context.Context, url string) (*push.Destination, error) { return push.Open(ctx, url, popts) }
		e.ownsDests = true
	}
	e.events = multiObserver(o.Observer, o.Logger)
	m, err := newMeters(o.MeterProvider)
	if err != nil {
		return nil, fmt.Errorf("policy: metrics: %w", err)
	}
	e.meters = m
	return e, nil
}

// Close closes the stores the engine opened with the default opener.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for u, en := range e.stores {
		en.mu.Lock()
		if e.owns && en.s != nil {
			errs = append(errs, en.s.Close())
		}
		en.s = nil
		en.mu.Unlock()
		delete(e.stores, u)
	}
	for u, d := range e.dests {
		if e.ownsDests {
			errs = append(errs, d.Close())
		}
		delete(e.dests, u)
	}
	return errors.Join(errs...)
}

// destination returns the engine's destination for url, opening it once.
func (e *Engine) destination(ctx context.Context, url string) (*push.Destination, error) {
	e.mu.Lock()
	d, ok := e.dests[url]
	e.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err := e.openDest(ctx, url)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if prev, ok := e.dests[url]; ok {
		if e.ownsDests {
			_ = d.Close()
		}
		return prev, nil
	}
	e.dests[url] = d
	return d, nil
}

func (e *Engine) store(ctx context.Context, url string) (*secrets.Store, error) {
	e.mu.Lock()
	en, ok := e.stores[url]
	if !ok {
		en = &storeEntry{}
		e.stores[url] = en
	}
	e.mu.Unlock()
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.s != nil {
		return en.s, nil
	}
	s, err := e.open(ctx, url)
	if err != nil {
		return nil, err
	}
	en.s = s
	return s, nil
}

// claim binds t's stores to t for the engine's lifetime: a store URL
// names one secret, and a second target writing it would overwrite the
// first one's token on every pass.
func (e *Engine) claim(t Target) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	id := t.ID()
	for _, u := range t.Stores {
		if other, ok := e.claims[storeIdentity(e.ident, u)]; ok && other != id {
			return fmt.Errorf("%w: store %s of %s is also used by target %s", ErrSharedStore, u, id, other)
		}
	}
	for _, u := range t.Push {
		if other, ok := e.claims["push:"+u]; ok && other != id {
			return fmt.Errorf("%w: destination %s of %s is also pushed to by target %s", ErrSharedStore, u, id, other)
		}
	}
	for _, u := range t.Stores {
		e.claims[storeIdentity(e.ident, u)] = id
	}
	for _, u := range t.Push {
		e.claims["push:"+u] = id
	}
	return nil
}
