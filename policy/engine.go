package policy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/snowpat/snowpat/pat"
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
	// OpenStore opens a store URL; defaults to secrets.OpenStore. Opened
	// stores are kept for the engine's lifetime. Close closes those the
	// default opener opened; stores from a custom OpenStore belong to the
	// caller, who may share them between engines.
	OpenStore func(ctx context.Context, url string) (*secrets.Store, error)
}

// Engine evaluates and applies policies. It is safe for concurrent use on
// different targets; work on one target is serialised by its Locker.
type Engine struct {
	admin   *pat.Client
	verify  Verifier
	clock   Clock
	locker  Locker
	events  Observer
	meters  *meters
	retry   Retry
	open    func(ctx context.Context, url string) (*secrets.Store, error)
	mu      sync.Mutex
	stores  map[string]*secrets.Store
	owns    bool                                   // the engine opened its stores itself and closes them
	afterFn func(d time.Duration) <-chan time.Time // test seam for backoff waits
}

// ErrLocked is returned when another rotator holds a target's lock.
var ErrLocked = errors.New("policy: target is locked by another rotator")

// ErrFailed wraps the last error of a target that exhausted its retries.
var ErrFailed = errors.New("policy: target failed")

// New makes an Engine.
func New(o Options) (*Engine, error) {
	if o.Admin == nil || o.Verify == nil {
		return nil, errors.New("policy: Options.Admin and Options.Verify are required")
	}
	e := &Engine{
		admin: o.Admin, verify: o.Verify, clock: o.Clock, locker: o.Locker,
		retry: o.Retry.withDefaults(), open: o.OpenStore, stores: map[string]*secrets.Store{},
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
	e.events = multiObserver(o.Observer, o.Logger)
	m, err := newMeters(o.MeterProvider)
	if err != nil {
		return nil, fmt.Errorf("policy: metrics: %w", err)
	}
	e.meters = m
	e.afterFn = e.clock.After
	return e, nil
}

// Close closes the stores the engine opened with the default opener.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for u, s := range e.stores {
		if e.owns {
			errs = append(errs, s.Close())
		}
		delete(e.stores, u)
	}
	return errors.Join(errs...)
}

func (e *Engine) store(ctx context.Context, url string) (*secrets.Store, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.stores[url]; ok {
		return s, nil
	}
	s, err := e.open(ctx, url)
	if err != nil {
		return nil, err
	}
	e.stores[url] = s
	return s, nil
}
