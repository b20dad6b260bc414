package policy_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/stretchr/testify/require"
	"k8s.io/utils/clock"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// world is one emulated Snowflake account, its clock, and engines over it
// whose every event and log line is recorded.
type world struct {
	t      *testing.T
	srv    *pattest.Server
	clock  *testingclock.FakeClock
	admin  *sql.DB
	client *pat.Client
	rec    *recorder
	stores map[string]*secrets.Store // by URL, shared by every engine of the world
	faults *memstore.Faults
	mu     sync.Mutex
	secret []string // every secret the world has seen, to prove none leaks
	// wrap, when set, puts the world's store drivers behind another
	// injector than storeFaults (the campaign's); verifyFault may fail a
	// verification before it is tried.
	wrap func(d driver.Secret, url string) driver.Secret
	// base, when set, opens the driver under the injector instead of a
	// memstore (the campaign's Kubernetes Secrets).
	base        func(url string) driver.Secret
	verifyFault func(ctx context.Context, user string) error
}

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := testingclock.NewFakeClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	srv := pattest.Start(t, pattest.WithClock(clock))
	admin := srv.Admin()
	w := &world{t: t, srv: srv, clock: clock, admin: admin, client: pat.NewClient(admin),
		rec: &recorder{}, stores: map[string]*secrets.Store{}, faults: &memstore.Faults{}}
	t.Cleanup(func() { w.rec.requireNoSecrets(t, w.allSecrets()) })
	return w
}

// engine makes a fresh engine, as a new process would: nothing is shared
// with earlier engines but Snowflake and the stores.
func (w *world) engine(opts ...func(*policy.Options)) *policy.Engine {
	w.t.Helper()
	base := *w.srv.Config("", pattest.PAT(""))
	o := policy.Options{
		Admin: w.client,
		Verify: func(ctx context.Context, user string, s pat.Secret) error {
			w.remember(s)
			if w.verifyFault != nil {
				if err := w.verifyFault(ctx, user); err != nil {
					return err
				}
			}
			return pat.Verify(ctx, base, user, s)
		},
		Clock:    instantClock{w.clock},
		Observer: w.rec,
		Logger:   slog.New(slog.NewJSONHandler(&w.rec.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OpenStore: func(ctx context.Context, url string) (*secrets.Store, error) {
			return w.store(url), nil
		},
		Retry: policy.Retry{Attempts: 3},
	}
	for _, f := range opts {
		f(&o)
	}
	e, err := policy.New(o)
	require.NoError(w.t, err)
	return e
}

// store returns the world's store for url: a memstore behind the fault
// injector. Engines never close it; the world does.
func (w *world) store(url string) *secrets.Store {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.stores[url]; ok {
		return s
	}
	var s *secrets.Store
	if w.wrap != nil {
		open := memstore.OpenDriver
		if w.base != nil {
			open = w.base
		}
		s = secrets.NewStore(w.wrap(open(url), url))
	} else {
		s = memstore.OpenStore(url, memstore.WithFaults(w.faults))
	}
	w.stores[url] = s
	return s
}

func (w *world) remember(s pat.Secret) {
	w.mu.Lock()
	w.secret = append(w.secret, s.Reveal())
	w.mu.Unlock()
}

func (w *world) allSecrets() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([]string(nil), w.secret...)
	for _, s := range w.stores {
		infos, err := s.List(context.Background())
		if err != nil {
			continue
		}
		for _, in := range infos {
			if v, err := s.ByID(context.Background(), in.ID); err == nil {
				if st, err := pat.DecodeStored(v.Value()); err == nil {
					out = append(out, st.Token.Reveal())
				}
			}
		}
	}
	return out
}

func (w *world) exec(stmts ...string) {
	w.t.Helper()
	for _, s := range stmts {
		_, err := w.admin.Exec(s)
		require.NoError(w.t, err, s)
	}
}

// serviceUser makes a TYPE=SERVICE user the guide's way: a network
// policy, a role, the role granted.
func (w *world) serviceUser(name string) {
	w.exec(
		"CREATE NETWORK POLICY IF NOT EXISTS bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE IF NOT EXISTS bi_reader",
		fmt.Sprintf("CREATE USER %s TYPE = SERVICE DEFAULT_ROLE = BI_READER NETWORK_POLICY = bi", name),
		"GRANT ROLE bi_reader TO USER "+name,
	)
}

var storeSeq struct {
	sync.Mutex
	n int
}

// target is a target for a new service user with fresh stores.
func (w *world) target(user string, p policy.Policy, stores int) policy.Target {
	w.serviceUser(user)
	p.RoleRestriction = "BI_READER"
	t := policy.Target{Account: w.srv.Account(), User: user, Token: user + "_PAT", Policy: p}
	for i := 0; i < stores; i++ {
		storeSeq.Lock()
		storeSeq.n++
		n := storeSeq.n
		storeSeq.Unlock()
		t.Stores = append(t.Stores, fmt.Sprintf("mem://%s/%d", strings.ToLower(user), n))
	}
	return t
}

// stored is the current secret of the target's i-th store.
func (w *world) stored(t policy.Target, i int) (pat.StoredToken, bool) {
	w.t.Helper()
	v, err := w.store(t.Stores[i]).Current(context.Background())
	if err != nil {
		return pat.StoredToken{}, false
	}
	st, err := pat.DecodeStored(v.Value())
	require.NoError(w.t, err)
	w.remember(st.Token)
	return st, true
}

// requireWorks asserts that every store's current secret logs in now.
func (w *world) requireWorks(t policy.Target) {
	w.t.Helper()
	base := *w.srv.Config("", pattest.PAT(""))
	for i := range t.Stores {
		st, ok := w.stored(t, i)
		require.True(w.t, ok, "store %s holds nothing", t.Stores[i])
		require.NoError(w.t, pat.Verify(context.Background(), base, t.User, st.Token), "store %s at %s", t.Stores[i], w.clock.Now())
	}
}

func (w *world) tokens(user string) []pat.Token {
	w.t.Helper()
	toks, err := w.client.List(context.Background(), user)
	require.NoError(w.t, err)
	return toks
}

// activeNonRotated counts the user's active tokens that are not
// rotated-out secrets.
func (w *world) activeNonRotated(user string) int {
	n := 0
	for _, tok := range w.tokens(user) {
		if tok.Status == pat.StatusActive && !tok.IsRotated() {
			n++
		}
	}
	return n
}

// recorder keeps every event and log line.
type recorder struct {
	mu     sync.Mutex
	events []policy.Event
	actors []int // the campaign actor that raised each event, -1 for none
	logs   syncBuffer
}

func (r *recorder) Event(ctx context.Context, ev policy.Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	id := -1
	if a := actorOf(ctx); a != nil {
		id = a.id
	}
	r.actors = append(r.actors, id)
	r.mu.Unlock()
}

func (r *recorder) count(kind policy.EventKind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.events {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

func (r *recorder) requireNoSecrets(t *testing.T, secrets []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	text := r.logs.String() + fmt.Sprintf("%+v", r.events)
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("a secret appears in an event or log line")
		}
	}
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

// instantClock reads the world's clock, but its timers fire at once: an
// engine's backoff between attempts does not wait for a test to move time.
type instantClock struct{ *testingclock.FakeClock }

func (c instantClock) NewTimer(time.Duration) clock.Timer   { return firedTimer(c.Now()) }
func (c instantClock) After(time.Duration) <-chan time.Time { return firedTimer(c.Now()).C() }

// firedTimer is a timer that has fired.
type firedTimer time.Time

func (f firedTimer) C() <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- time.Time(f)
	return ch
}
func (firedTimer) Stop() bool               { return false }
func (firedTimer) Reset(time.Duration) bool { return false }
