package patconn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// Clock is the reader's time source; *pattest.ManualClock and
// policy.SystemClock implement it.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options tune a Reader or Connector. The zero value is usable.
type Options struct {
	// TTL is how long a read token is used without asking the store again;
	// default 1 minute.
	TTL time.Duration
	// RefreshAhead starts a background refresh this long before the TTL
	// runs out; default a fifth of the TTL.
	RefreshAhead time.Duration
	// Clock defaults to the system clock.
	Clock Clock
	// OnError is called with every failed refresh (the last good token is
	// kept). It must not block.
	OnError func(error)
	// Logger, when set, logs failed refreshes at Warn.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.TTL <= 0 {
		o.TTL = time.Minute
	}
	if o.RefreshAhead <= 0 || o.RefreshAhead >= o.TTL {
		o.RefreshAhead = o.TTL / 5
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	return o
}

// Token is what a Reader hands out: the token and what the store said
// about it.
type Token struct {
	Secret    pat.Secret
	User      string // the Snowflake user, when the stored format records it
	TokenName string
	ExpiresAt time.Time
	VersionID string
}

// entry is one cached read. It is immutable once published.
type entry struct {
	tok       Token
	fetched   time.Time
	staleAt   int64 // unix nanos: after this, refresh in the background
	expiresAt int64 // unix nanos: after this, refresh before answering
}

// Reader is a cached reader of the current token in a store.
type Reader struct {
	store *secrets.Store
	opts  Options

	cur        atomic.Pointer[entry]
	refreshing atomic.Bool

	mu       sync.Mutex    // serialises store reads
	inflight chan struct{} // closed when the running foreground read ends
	wg       sync.WaitGroup
	closed   atomic.Bool
	reads    atomic.Int64
}

// NewReader returns a Reader over store.
func NewReader(store *secrets.Store, opts Options) *Reader {
	return &Reader{store: store, opts: opts.withDefaults()}
}

// ErrClosed is returned by a Reader or Connector used after Close.
var ErrClosed = errors.New("patconn: closed")

// Get returns the current token. Within the TTL it is an atomic load;
// see the package documentation for what happens after.
func (r *Reader) Get(ctx context.Context) (Token, error) {
	if e := r.cur.Load(); e != nil {
		now := r.opts.Clock.Now().UnixNano()
		if now < e.expiresAt {
			if now >= e.staleAt && r.refreshing.CompareAndSwap(false, true) {
				r.refreshAsync()
			}
			return e.tok, nil
		}
	}
	tok, err := r.load(ctx, false)
	if err != nil && !tok.Secret.IsZero() {
		return tok, nil // the last good token; the failure was reported
	}
	return tok, err
}

// Refresh reads the store now, bypassing the cache, and returns what it
// found (or the last good token and the error, if the read failed).
func (r *Reader) Refresh(ctx context.Context) (Token, error) { return r.load(ctx, true) }

// Reads is how many times the Reader has read the store.
func (r *Reader) Reads() int64 { return r.reads.Load() }

// load reads the store once for every caller waiting at the same time:
// callers that arrive while a read is running wait for it and share its
// result instead of reading again.
func (r *Reader) load(ctx context.Context, force bool) (Token, error) {
	if r.closed.Load() {
		return Token{}, ErrClosed
	}
	return r.loadOpen(ctx, force)
}

// loadOpen is load without the closed check, for the background refresh
// that Close waits for.
func (r *Reader) loadOpen(ctx context.Context, force bool) (Token, error) {
	r.mu.Lock()
	if ch := r.inflight; ch != nil {
		r.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Token{}, ctx.Err()
		}
		if e := r.cur.Load(); e != nil {
			return e.tok, nil
		}
		return r.loadOpen(ctx, force)
	}
	if e := r.cur.Load(); e != nil && !force && r.opts.Clock.Now().UnixNano() < e.expiresAt {
		r.mu.Unlock()
		return e.tok, nil
	}
	ch := make(chan struct{})
	r.inflight = ch
	r.mu.Unlock()

	tok, err := r.read(ctx)

	r.mu.Lock()
	r.inflight = nil
	close(ch)
	r.mu.Unlock()
	if err != nil {
		r.report(err)
		if e := r.cur.Load(); e != nil {
			// Keep the last good token, and try the store again after a
			// fifth of the TTL rather than on every call.
			now := r.opts.Clock.Now()
			retry := now.Add(r.opts.TTL / 5).UnixNano()
			r.cur.Store(&entry{tok: e.tok, fetched: e.fetched, staleAt: retry, expiresAt: retry})
			return e.tok, err
		}
		return Token{}, err
	}
	return tok, nil
}

// read fetches and decodes the current version and publishes it.
func (r *Reader) read(ctx context.Context) (Token, error) {
	r.reads.Add(1)
	v, err := r.store.Current(ctx)
	if err != nil {
		return Token{}, fmt.Errorf("patconn: reading the token: %w", err)
	}
	st, err := pat.DecodeStored(v.Value())
	if err != nil {
		return Token{}, fmt.Errorf("patconn: the stored token: %w", err)
	}
	tok := Token{Secret: st.Token, User: st.User, TokenName: st.TokenName, ExpiresAt: st.ExpiresAt, VersionID: v.ID}
	now := r.opts.Clock.Now()
	r.cur.Store(&entry{
		tok: tok, fetched: now,
		staleAt:   now.Add(r.opts.TTL - r.opts.RefreshAhead).UnixNano(),
		expiresAt: now.Add(r.opts.TTL).UnixNano(),
	})
	return tok, nil
}

func (r *Reader) refreshAsync() {
	if r.closed.Load() {
		r.refreshing.Store(false)
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.refreshing.Store(false)
		// Not the caller's context: the caller has its answer already and
		// may be gone; the refresh is bounded by the TTL instead.
		ctx, cancel := context.WithTimeout(context.Background(), r.opts.TTL)
		defer cancel()
		_, _ = r.loadOpen(ctx, true)
	}()
}

func (r *Reader) report(err error) {
	if r.opts.OnError != nil {
		r.opts.OnError(err)
	}
	if r.opts.Logger != nil {
		r.opts.Logger.Warn("patconn: refreshing the token failed; keeping the last good one", slog.String("error", err.Error()))
	}
}

// Close stops background refreshes and waits for a running one. After
// Close, reads the cache can answer still succeed; reads that need the
// store return ErrClosed.
func (r *Reader) Close() error {
	r.closed.Store(true)
	r.wg.Wait()
	return nil
}
