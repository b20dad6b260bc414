package policytest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// World is one emulated Snowflake account, its clock, its memory stores
// and the engines made over them, whose every event and log line is kept.
// Its methods fail the test that made it on an unexpected error.
type World struct {
	// Server is the emulated account: inject faults into it, read its
	// tokens behind the engine's back (Server.PATs, Server.CheckPAT).
	Server *pattest.Server
	// Clock drives the emulator and every engine of the world.
	Clock *testingclock.FakeClock
	// DB is the administrator's connection (key pair), and Admin the
	// typed client over it.
	DB    *sql.DB
	Admin *pat.Client

	t    testing.TB
	open func(url string) *secrets.Store

	mu      sync.Mutex
	stores  map[string]*secrets.Store
	events  []policy.Event
	logs    syncBuffer
	secrets []string // every secret the world has seen, to prove none leaks
}

var storeSeq atomic.Int64

// Option configures a World.
type Option func(*config)

type config struct {
	start  time.Time
	faults *memstore.Faults
	open   func(url string) *secrets.Store
}

// WithStart sets the moment the world's clock starts at (by default
// 2026-01-01 09:00 UTC).
func WithStart(t time.Time) Option { return func(c *config) { c.start = t } }

// WithFaults puts every store of the world under f: arm faults on it with
// memstore.Match{Store: <the store's URL>} to strike one store.
func WithFaults(f *memstore.Faults) Option { return func(c *config) { c.faults = f } }

// WithStores makes the world's stores with open instead of as memory
// stores: a store over your own driver (a fake of your cloud's service, or
// a memstore behind your own fault injector). open is called once per URL
// the world meets; the world closes what it returns when the test ends.
// WithFaults does not apply to them.
func WithStores(open func(url string) *secrets.Store) Option {
	return func(c *config) { c.open = open }
}

// New starts a world for the test, closed when it ends.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	c := config{start: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	for _, o := range opts {
		o(&c)
	}
	clock := testingclock.NewFakeClock(c.start)
	srv := pattest.Start(t, pattest.WithClock(clock))
	w := &World{Server: srv, Clock: clock, DB: srv.Admin(), t: t, stores: map[string]*secrets.Store{}}
	w.Admin = pat.NewClient(w.DB)
	w.open = func(url string) *secrets.Store {
		if c.open != nil {
			return c.open(url)
		}
		if c.faults != nil {
			return memstore.OpenStore(url, memstore.WithFaults(c.faults))
		}
		return memstore.OpenStore(url)
	}
	// Cleanups run last-registered first: the leak check reads the
	// stores before they close.
	t.Cleanup(w.closeStores)
	t.Cleanup(func() { w.RequireNoSecretLeaked(t) })
	return w
}

// ServiceUser makes a TYPE = SERVICE user the way the guide does: a network
// policy allowing loopback (BI), a role (BI_READER) granted to it.
func (w *World) ServiceUser(name string) {
	w.t.Helper()
	for _, s := range []string{
		"CREATE NETWORK POLICY IF NOT EXISTS bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE IF NOT EXISTS bi_reader",
		fmt.Sprintf("CREATE USER %s TYPE = SERVICE DEFAULT_ROLE = BI_READER NETWORK_POLICY = bi", name),
		"GRANT ROLE bi_reader TO USER " + name,
	} {
		if _, err := w.DB.Exec(s); err != nil {
			w.t.Fatalf("policytest: %s: %v", s, err)
		}
	}
}

// Target makes a service user named user (ServiceUser) and a target for
// it: token <user>_PAT under policy p, restricted to BI_READER, written to
// the given store URLs, or to one fresh memory store if none is given.
func (w *World) Target(user string, p policy.Policy, stores ...string) policy.Target {
	w.t.Helper()
	w.ServiceUser(user)
	p.RoleRestriction = "BI_READER"
	t := policy.Target{Account: w.Server.Account(), User: user, Token: user + "_PAT", Policy: p, Stores: stores}
	if len(t.Stores) == 0 {
		// Memory stores are named process-wide: the number keeps
		// parallel tests' stores apart.
		t.Stores = []string{fmt.Sprintf("mem://policytest/%s/%d", strings.ToLower(user), storeSeq.Add(1))}
	}
	return t
}

// Store is the world's store for url: a memory store, shared by every
// engine of the world, closed when the test ends. Memory stores of one
// name are one secret in the whole process: give each test its own names
// (Target does).
func (w *World) Store(url string) *secrets.Store {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.stores[url]; ok {
		return s
	}
	s := w.open(url)
	w.stores[url] = s
	return s
}

func (w *World) closeStores() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for url, s := range w.stores {
		_ = s.Close()
		delete(w.stores, url)
	}
}

// Options are an engine's options in this world: the administrator, a
// verifier that logs in to the emulator (and remembers each secret it
// tries, for RequireNoSecretLeaked), the clock with instant waits, the
// world's stores, and an Observer and a Logger that keep everything.
// Change them, then call policy.New, or use Engine.
func (w *World) Options() policy.Options {
	base := *w.Server.Config("", pattest.PAT(""))
	return policy.Options{
		Admin: w.Admin,
		Verify: func(ctx context.Context, user string, s pat.Secret) error {
			w.Remember(s)
			return pat.Verify(ctx, base, user, s)
		},
		Clock:     instantWaits{w.Clock},
		Observer:  observer{w},
		Logger:    slog.New(slog.NewJSONHandler(&w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OpenStore: func(_ context.Context, url string) (*secrets.Store, error) { return w.Store(url), nil },
		Retry:     policy.Retry{Attempts: 3},
	}
}

// Engine makes a fresh engine, as a new process would: it shares nothing
// with the world's other engines but Snowflake and the stores. Each
// function may change the options first.
func (w *World) Engine(opts ...func(*policy.Options)) *policy.Engine {
	w.t.Helper()
	o := w.Options()
	for _, f := range opts {
		f(&o)
	}
	e, err := policy.New(o)
	if err != nil {
		w.t.Fatalf("policytest: %v", err)
	}
	w.t.Cleanup(func() { _ = e.Close() })
	return e
}

// Remember adds a secret to those RequireNoSecretLeaked looks for.
func (w *World) Remember(s pat.Secret) {
	if s.IsZero() {
		return
	}
	w.mu.Lock()
	w.secrets = append(w.secrets, s.Reveal())
	w.mu.Unlock()
}

// Events returns every event the world's engines raised, in order.
func (w *World) Events() []policy.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]policy.Event(nil), w.events...)
}

// Count counts the events of a kind.
func (w *World) Count(kind policy.EventKind) int {
	n := 0
	for _, ev := range w.Events() {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

// Logs returns every log line the world's engines wrote, as JSON lines.
func (w *World) Logs() string { return w.logs.String() }

// Tokens lists the user's tokens, as SHOW does.
func (w *World) Tokens(user string) []pat.Token {
	w.t.Helper()
	toks, err := w.Admin.List(context.Background(), user)
	if err != nil {
		w.t.Fatalf("policytest: listing the tokens of %s: %v", user, err)
	}
	return toks
}

// Stored is what the store at url holds as current, decoded; false if it
// holds nothing readable.
func (w *World) Stored(url string) (pat.StoredToken, bool) {
	v, err := w.Store(url).Current(context.Background())
	if err != nil {
		return pat.StoredToken{}, false
	}
	st, err := pat.DecodeStored(v.Value())
	if err != nil {
		return pat.StoredToken{}, false
	}
	w.Remember(st.Token)
	return st, true
}

type observer struct{ w *World }

func (o observer) Event(_ context.Context, ev policy.Event) {
	o.w.mu.Lock()
	o.w.events = append(o.w.events, ev)
	o.w.mu.Unlock()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
