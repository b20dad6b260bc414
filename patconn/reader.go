package patconn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// Token is what a Reader hands out: the token and what the store said
// about it.
type Token struct {
	Secret    pat.Secret
	User      string // the Snowflake user, when the stored format records it
	TokenName string
	ExpiresAt time.Time
	VersionID string
}

// entry is one cached read. Apart from fresh it is immutable once
// published.
type entry struct {
	tok        Token
	confirmed  int64 // unix nanos: when the store last returned it
	freshUntil int64 // unix nanos: the fast path ends before this (staleAt - freshMargin)
	staleAt    int64 // unix nanos: after this, refresh in the background
	expiresAt  int64 // unix nanos: after this, refresh before answering
	deadAt     int64 // unix nanos: never handed out after this (TTL + MaxStale past the store's last answer)

	// fresh, while up, lets Get answer without reading the clock. Only
	// freshness raises it (when the entry is published on the real
	// clock) and lowers it (before freshUntil, on replacement, on Close);
	// once lowered it stays down.
	fresh atomic.Bool
}

// Reader is a cached reader of the current token in a store.
type Reader struct {
	store *secrets.Store
	opts  Options

	cur        atomic.Pointer[entry] // written only by the read in flight (loadShared)
	fresh      freshness
	refreshing atomic.Bool
	reads      atomic.Int64

	mu       sync.Mutex    // serialises store reads
	inflight chan struct{} // closed when the running read ends

	life lifecycle

	// refreshHook, when set (by tests, before use), runs when a
	// background refresh has been decided, before it is counted as in
	// flight: the instant a Close may slip in.
	refreshHook func()
}

// NewReader returns a Reader over store. It returns ErrNoStore when store
// is nil. Close it when done: Close cancels a refresh in flight and waits
// for it.
func NewReader(store *secrets.Store, opts Options) (*Reader, error) {
	if store == nil {
		return nil, ErrNoStore
	}
	r := &Reader{store: store, opts: opts.withDefaults()}
	r.life.init()
	r.fresh.init(r.opts.Clock)
	return r, nil
}

// Get returns the current token. While the cached token is fresh it is
// two atomic loads, reading no clock; see the package documentation for
// what fresh means and what happens after.
func (r *Reader) Get(ctx context.Context) (Token, error) {
	// The fast path: two atomic loads and a copy, no clock (see
	// freshness). It is small enough to be inlined into the caller.
	if e := r.cur.Load(); e != nil && e.fresh.Load() {
		return e.tok, nil
	}
	return r.get(ctx)
}

// get is Get when the entry is not fresh: it reads the clock.
func (r *Reader) get(ctx context.Context) (Token, error) {
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
// found (or the last good token and the error, if the read failed and
// MaxStale still allows the token).
func (r *Reader) Refresh(ctx context.Context) (Token, error) { return r.load(ctx, true) }

// Reads is how many times the Reader has read the store.
func (r *Reader) Reads() int64 { return r.reads.Load() }

// load reads the store for a caller, as a call Close waits for and
// cancels.
func (r *Reader) load(ctx context.Context, force bool) (Token, error) {
	ctx, end, ok := r.life.begin(ctx)
	if !ok {
		return Token{}, ErrClosed
	}
	defer end()
	tok, err := r.loadShared(ctx, force)
	if err != nil && r.life.closing() {
		return Token{}, ErrClosed
	}
	return tok, err
}

// loadShared reads the store once for every caller waiting at the same
// time: callers that arrive while a read is running wait for it and share
// its result instead of reading again.
func (r *Reader) loadShared(ctx context.Context, force bool) (Token, error) {
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
		return r.loadShared(ctx, force)
	}
	if e := r.cur.Load(); e != nil && !force && r.opts.Clock.Now().UnixNano() < e.expiresAt {
		r.mu.Unlock()
		return e.tok, nil
	}
	ch := make(chan struct{})
	r.inflight = ch
	r.mu.Unlock()

	tok, err := r.read(ctx)
	if err != nil {
		tok, err = r.failed(ctx, err)
	}

	r.mu.Lock()
	r.inflight = nil
	close(ch)
	r.mu.Unlock()
	return tok, err
}

// read fetches, decodes and checks the current version and publishes it.
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
	if r.opts.User != "" && st.User != "" && !strings.EqualFold(st.User, r.opts.User) {
		return Token{}, fmt.Errorf("%w: version %s records user %q, this reader is for %q", ErrUserMismatch, v.ID, st.User, r.opts.User)
	}
	tok := Token{Secret: st.Token, User: st.User, TokenName: st.TokenName, ExpiresAt: st.ExpiresAt, VersionID: v.ID}
	now := r.opts.Clock.Now()
	expires := now.Add(r.opts.TTL)
	stale := now.Add(r.opts.TTL - r.opts.RefreshAhead)
	r.publish(&entry{
		tok:        tok,
		confirmed:  now.UnixNano(),
		freshUntil: stale.Add(-freshMargin).UnixNano(),
		staleAt:    stale.UnixNano(),
		expiresAt:  expires.UnixNano(),
		deadAt:     expires.Add(r.opts.MaxStale).UnixNano(),
	})
	return tok, nil
}

// publish makes e (possibly nil) the cached entry. Only the read in
// flight calls it, so entries are published one at a time. The entry it
// replaces loses its fresh flag first: from then on a Get that still
// loads it reads the clock, as it would have before the fast path.
func (r *Reader) publish(e *entry) {
	r.fresh.publish(e)
	r.cur.Store(e)
}

// failed decides what a failed read leaves behind, and then reports the
// failure. The store saying the secret is gone or no longer ours to read
// is authoritative: the cached token goes. Any other failure keeps the
// last good token until its deadline, asking the store again after a
// fifth of the TTL rather than on every call; past the deadline the token
// goes and the error is ErrStale.
func (r *Reader) failed(ctx context.Context, err error) (Token, error) {
	if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
		err = fmt.Errorf("%w (%w)", err, cause)
	}
	tok, err := r.settle(err)
	r.report(err)
	return tok, err
}

func (r *Reader) settle(err error) (Token, error) {
	e := r.cur.Load()
	if e == nil {
		return Token{}, err
	}
	if errors.Is(err, secrets.ErrNotFound) || errors.Is(err, secrets.ErrPermissionDenied) {
		r.publish(nil)
		return Token{}, err
	}
	now := r.opts.Clock.Now().UnixNano()
	if now >= e.deadAt {
		r.publish(nil)
		return Token{}, fmt.Errorf("%w: the store has not confirmed it since %s: %w",
			ErrStale, time.Unix(0, e.confirmed).UTC().Format(time.RFC3339), err)
	}
	retry := min(now+int64(r.opts.TTL/5), e.deadAt)
	// Never fresh: it lives past the TTL, where every read asks the time.
	r.publish(&entry{tok: e.tok, confirmed: e.confirmed, staleAt: retry, expiresAt: retry, deadAt: e.deadAt})
	return e.tok, err
}

func (r *Reader) report(err error) {
	if r.opts.OnError != nil {
		r.opts.OnError(err)
	}
	if r.opts.Logger != nil {
		r.opts.Logger.Warn("patconn: refreshing the token failed", slog.String("error", err.Error()))
	}
}
