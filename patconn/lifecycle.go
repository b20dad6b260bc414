package patconn

import (
	"context"
	"errors"
	"sync"
)

// lifecycle is what Close ends: a context that every store read runs
// under, and a count of the reads in flight.
//
// The closed check and calls.Add happen under one lock that close also
// takes, so no read can be counted after close has begun waiting: the
// WaitGroup rule that an Add from zero must not run beside Wait.
type lifecycle struct {
	mu     sync.Mutex
	closed bool
	calls  sync.WaitGroup
	ctx    context.Context // cancelled by close
	cancel context.CancelCauseFunc
}

func (l *lifecycle) init() {
	l.ctx, l.cancel = context.WithCancelCause(context.Background())
}

// begin counts a call as in flight and returns ctx, cancelled also when
// close starts, with the function that ends the call; ok is false once
// close has started.
func (l *lifecycle) begin(ctx context.Context) (_ context.Context, end func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, nil, false
	}
	l.calls.Add(1)
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(l.ctx, func() { cancel(ErrClosed) })
	return ctx, func() {
		stop()
		cancel(nil)
		l.calls.Done()
	}, true
}

// closing reports whether close has started.
func (l *lifecycle) closing() bool { return l.ctx.Err() != nil }

// close cancels the calls in flight and waits for them to return.
func (l *lifecycle) close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	l.mu.Unlock()
	l.cancel(ErrClosed)
	l.calls.Wait()
}

// errRefreshTimeout ends a background refresh that the store has not
// answered within the TTL.
var errRefreshTimeout = errors.New("patconn: the store did not answer within the TTL")

// refreshAsync refreshes the token in the background, under the Reader's
// lifecycle (Close cancels it and waits for it) and bounded by the TTL on
// the Reader's clock, so that a hung store neither blocks Close nor holds
// the refresh slot forever. The caller has set r.refreshing.
func (r *Reader) refreshAsync() {
	if r.refreshHook != nil {
		r.refreshHook()
	}
	ctx, end, ok := r.life.begin(context.Background())
	if !ok {
		r.refreshing.Store(false)
		return
	}
	go func() {
		defer end()
		defer r.refreshing.Store(false)
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		timeout := r.opts.Clock.NewTimer(r.opts.TTL)
		defer timeout.Stop()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = r.loadShared(ctx, true)
		}()
		select {
		case <-done:
		case <-timeout.C():
			cancel(errRefreshTimeout)
			<-done
		}
	}()
}

// Close cancels a store read in flight, background or not, and waits for
// it to return, so that after Close the Reader makes no call on the store
// (which may then be closed). Reads the cache can answer still succeed;
// reads that need the store return ErrClosed. Close also stops the
// timer that keeps the fast path honest and lowers the fast path's flag,
// so every read after it reads the clock. Close is idempotent.
func (r *Reader) Close() error {
	r.fresh.close()
	r.life.close()
	return nil
}
