package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// revokedError is a test's own error type, which must stay reachable with
// errors.As through the Store's error.
type revokedError struct{ user string }

func (e *revokedError) Error() string { return "access revoked for " + e.user }

// faultyStore is a Store over a fresh secret called after the test, with
// f attached.
func faultyStore(t *testing.T, f *memstore.Faults) *secrets.Store {
	t.Helper()
	return openFresh(t, t.Name(), f)
}

// openFresh opens the secret called name with f attached, emptied first:
// named secrets live as long as the process, and -count runs a test
// again in it. The secret is deleted again when the test ends.
func openFresh(t *testing.T, name string, f *memstore.Faults) *secrets.Store {
	t.Helper()
	plain := memstore.OpenStore(name)
	_ = plain.Delete(context.Background())
	s := memstore.OpenStore(name, memstore.WithFaults(f))
	t.Cleanup(func() {
		_ = s.Close()
		_ = plain.Delete(context.Background())
	})
	return s
}

// The error a fault injects gives the Store's error its kind: that of the
// secrets sentinel it wraps, else unavailable; the injected error itself
// stays reachable, and every injected error matches ErrInjected.
func TestFailKinds(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		kind error
	}{
		{"nil", nil, secrets.ErrUnavailable},
		{"plain", errors.New("connection refused"), secrets.ErrUnavailable},
		{"not found", secrets.ErrNotFound, secrets.ErrNotFound},
		{"already exists", secrets.ErrAlreadyExists, secrets.ErrAlreadyExists},
		{"conflict", secrets.ErrConflict, secrets.ErrConflict},
		{"permission denied", fmt.Errorf("%w: %w", &revokedError{"SVC"}, secrets.ErrPermissionDenied), secrets.ErrPermissionDenied},
		{"unavailable", fmt.Errorf("throttled: %w", secrets.ErrUnavailable), secrets.ErrUnavailable},
		{"invalid argument", secrets.ErrInvalidArgument, secrets.ErrInvalidArgument},
		{"unsupported", secrets.ErrUnsupported, secrets.ErrUnsupported},
		{"deadline", context.DeadlineExceeded, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f memstore.Faults
			s := faultyStore(t, &f)
			f.Fail(memstore.Match{Op: memstore.OpPut}, tc.err)
			_, err := s.Put(t.Context(), []byte("v1"), nil)
			require.Error(t, err)
			require.ErrorIs(t, err, tc.kind)
			require.ErrorIs(t, err, memstore.ErrInjected)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			}
			for _, k := range []error{secrets.ErrNotFound, secrets.ErrAlreadyExists, secrets.ErrConflict, secrets.ErrPermissionDenied,
				secrets.ErrUnavailable, secrets.ErrInvalidArgument, secrets.ErrUnsupported} {
				if k != tc.kind {
					assert.NotErrorIs(t, err, k, "one kind only")
				}
			}
			_, err = s.List(t.Context())
			require.ErrorIs(t, err, secrets.ErrNotFound, "a failed call changes nothing")
			require.NotErrorIs(t, err, memstore.ErrInjected, "the fault was used up")
		})
	}
	t.Run("errors.As", func(t *testing.T) {
		var f memstore.Faults
		s := faultyStore(t, &f)
		f.Fail(memstore.Match{Op: memstore.OpGet}, fmt.Errorf("%w: %w", &revokedError{"SVC"}, secrets.ErrPermissionDenied))
		_, err := s.Current(t.Context())
		var revoked *revokedError
		require.ErrorAs(t, err, &revoked)
		require.Equal(t, "SVC", revoked.user)
	})
}

// A lost answer: the write happened, the caller was told it failed, and a
// retry with the write's idempotency key returns the version it made.
func TestLoseAnswer(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	s := faultyStore(t, &f)
	cur, err := s.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)

	lost := f.LoseAnswer(memstore.Match{Op: memstore.OpPutPending}, nil)
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-1"}
	id, err := s.PutPending(ctx, []byte("v2"), opts)
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	require.ErrorIs(t, err, memstore.ErrInjected)
	require.Empty(t, id, "no answer comes back with the error")
	require.Equal(t, 1, lost.Hits())
	pending, err := s.ByStage(ctx, secrets.StagePending)
	require.NoError(t, err, "the write happened")
	require.Equal(t, "v2", string(pending.Value()))
	again, err := s.PutPending(ctx, []byte("v2"), opts)
	require.NoError(t, err)
	require.Equal(t, pending.ID, again)

	f.LoseAnswer(memstore.Match{Op: memstore.OpPromote}, errors.New("connection reset"))
	require.ErrorIs(t, s.Promote(ctx, again), secrets.ErrUnavailable)
	v, err := s.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, again, v.ID, "the promotion happened")

	// A read whose answer is lost returns no version.
	f.LoseAnswer(memstore.Match{Op: memstore.OpGet}, nil)
	v, err = s.Current(ctx)
	require.ErrorIs(t, err, memstore.ErrInjected)
	require.Nil(t, v)

	// A call that fails on its own returns its own error: there was no
	// answer to lose.
	f.LoseAnswer(memstore.Match{Op: memstore.OpRetire}, nil)
	err = s.Retire(ctx, again)
	require.ErrorIs(t, err, secrets.ErrConflict, "retiring the current version")
	require.NotErrorIs(t, err, memstore.ErrInjected)
	_, err = s.ByID(ctx, cur)
	require.NoError(t, err)
}

// A blocked call waits until the fault is removed and then runs; Reached
// tells the test it is held.
func TestBlockUntilRemoved(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	s := faultyStore(t, &f)
	held := f.Block(memstore.Match{Op: memstore.OpPut})
	done := make(chan error, 1)
	go func() { _, err := s.Put(ctx, []byte("v1"), nil); done <- err }()
	<-held.Reached(1)
	select {
	case err := <-done:
		t.Fatalf("the blocked Put returned %v before the fault was removed", err)
	default:
	}
	_, err := s.Current(ctx)
	require.ErrorIs(t, err, secrets.ErrNotFound, "nothing is written while the Put is held")
	held.Remove()
	require.NoError(t, <-done)
	v, err := s.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, "v1", string(v.Value()))
	held.Remove() // again: nothing happens
}

// A blocked call returns its context's error when the context ends,
// having changed nothing, and leaves no goroutine behind (goleak checks
// in TestMain).
func TestBlockUntilContextEnds(t *testing.T) {
	var f memstore.Faults
	s := faultyStore(t, &f)
	hung := f.Block(memstore.Match{Op: memstore.OpPut, Times: memstore.Always})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := s.Put(ctx, []byte("v1"), nil); done <- err }()
	<-hung.Reached(1)
	cancel()
	err := <-done
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, secrets.ErrUnavailable)
	hung.Remove()
	_, err = s.Current(t.Context())
	require.ErrorIs(t, err, secrets.ErrNotFound, "the abandoned Put wrote nothing")
}

// Clear releases every held call, those of used-up faults too, and a
// held call keeps the Store's Close waiting until then.
func TestClearReleasesBlockedCalls(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	s := openFresh(t, t.Name(), &f)
	_, err := s.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	once := f.Block(memstore.Match{Op: memstore.OpList})
	every := f.Block(memstore.Match{Op: memstore.OpGet, Times: memstore.Always})
	const readers = 8
	errs := make(chan error, readers+1)
	go func() { _, err := s.List(ctx); errs <- err }()
	for range readers {
		go func() { _, err := s.Current(ctx); errs <- err }()
	}
	<-once.Reached(1)
	<-every.Reached(readers)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned %v while calls were held", err)
	default:
	}
	f.Clear()
	for range readers + 1 {
		require.NoError(t, <-errs)
	}
	require.NoError(t, <-closed)
	require.Equal(t, readers, every.Hits())
}

// A hook runs in the caller's goroutine with its context: cancelling it
// there stops the call before it changes anything, as a crash would; an
// error from the hook fails the call as Fail does; a hook may arm faults.
func TestHook(t *testing.T) {
	var f memstore.Faults
	s := faultyStore(t, &f)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var seen context.Context
	crash := f.Hook(memstore.Match{Op: memstore.OpPut}, func(ctx context.Context) error {
		seen = ctx
		cancel()
		return nil
	})
	_, err := s.Put(ctx, []byte("v1"), nil)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, crash.Hits())
	require.Error(t, seen.Err(), "the hook saw the caller's context")
	_, err = s.Current(t.Context())
	require.ErrorIs(t, err, secrets.ErrNotFound, "the crashed Put wrote nothing")

	f.Hook(memstore.Match{Op: memstore.OpPut}, func(context.Context) error {
		return fmt.Errorf("revoked: %w", secrets.ErrPermissionDenied)
	})
	_, err = s.Put(t.Context(), []byte("v1"), nil)
	require.ErrorIs(t, err, secrets.ErrPermissionDenied)
	require.ErrorIs(t, err, memstore.ErrInjected)

	// The hook arms the next fault: the call it runs in goes through, the
	// one after fails.
	f.Hook(memstore.Match{Op: memstore.OpPut}, func(context.Context) error {
		f.Fail(memstore.Match{Op: memstore.OpGet}, nil)
		return nil
	})
	_, err = s.Put(t.Context(), []byte("v1"), nil)
	require.NoError(t, err)
	_, err = s.Current(t.Context())
	require.ErrorIs(t, err, memstore.ErrInjected)
}

// Times limits a fault to n calls or every call until removed; the first
// armed matching fault with calls left wins; Op and Store select.
func TestLimitsAndFilters(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	a := openFresh(t, t.Name()+"/a", &f)
	b := openFresh(t, t.Name()+"/b", &f)
	for _, s := range []*secrets.Store{a, b} {
		_, err := s.Put(ctx, []byte("v1"), nil)
		require.NoError(t, err)
	}

	twice := f.Fail(memstore.Match{Op: memstore.OpGet, Store: t.Name() + "/a", Times: 2}, nil)
	for i := range 2 {
		_, err := b.Current(ctx)
		require.NoError(t, err, "another store")
		_, err = a.List(ctx)
		require.NoError(t, err, "another op")
		_, err = a.Current(ctx)
		require.ErrorIs(t, err, memstore.ErrInjected, "call %d", i+1)
	}
	_, err := a.Current(ctx)
	require.NoError(t, err, "two calls only")
	require.Equal(t, 2, twice.Hits())
	<-twice.Reached(2)

	first := f.Fail(memstore.Match{Times: memstore.Always}, secrets.ErrPermissionDenied)
	second := f.Fail(memstore.Match{Op: memstore.OpGet}, secrets.ErrConflict)
	for range 3 {
		_, err = b.Current(ctx)
		require.ErrorIs(t, err, secrets.ErrPermissionDenied, "the first armed fault wins")
		require.ErrorIs(t, a.Delete(ctx), secrets.ErrPermissionDenied, "every op, every store")
	}
	first.Remove()
	_, err = b.Current(ctx)
	require.ErrorIs(t, err, secrets.ErrConflict, "then the next one")
	_, err = b.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, 6, first.Hits())
	require.Equal(t, 1, second.Hits())

	// A NewStore is called "".
	var g memstore.Faults
	anon := memstore.NewStore(memstore.WithFaults(&g))
	g.Fail(memstore.Match{Store: "named", Times: memstore.Always}, nil)
	_, err = anon.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	g.Clear()
	g.Fail(memstore.Match{Op: memstore.OpGet, Store: ""}, nil)
	_, err = anon.Current(ctx)
	require.ErrorIs(t, err, memstore.ErrInjected)
}

// Calls counts the calls that reach each store by operation, faulted or
// not; a call the Store refuses itself, or makes with a done context,
// reaches nothing. A Stages is one call.
func TestCalls(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	a := openFresh(t, t.Name()+"/a", &f)
	b := openFresh(t, t.Name()+"/b", &f)
	id, err := a.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	p, err := a.PutPending(ctx, []byte("v2"), nil)
	require.NoError(t, err)
	id, err = a.PutIf(ctx, []byte("v3"), secrets.IfCurrent(id), nil)
	require.NoError(t, err)
	require.NoError(t, a.PromoteIf(ctx, p, secrets.IfCurrent(id)))
	_, err = a.Stages(ctx)
	require.NoError(t, err)
	f.Fail(memstore.Match{Op: memstore.OpGet}, nil)
	_, err = b.Current(ctx)
	require.ErrorIs(t, err, memstore.ErrInjected)
	_, err = b.ByID(ctx, "")
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	done, cancel := context.WithCancel(ctx)
	cancel()
	_, err = b.Current(done)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, b.Delete(ctx), secrets.ErrNotFound)

	count := func(op memstore.Op, store string) int { return f.Calls(memstore.Match{Op: op, Store: store}) }
	an, bn := t.Name()+"/a", t.Name()+"/b"
	assert.Equal(t, 2, count(memstore.OpPut, an), "Put and PutIf")
	assert.Equal(t, 1, count(memstore.OpPutPending, an))
	assert.Equal(t, 1, count(memstore.OpPromote, an))
	assert.Equal(t, 1, count(memstore.OpStages, an))
	assert.Equal(t, 0, count(memstore.OpGet, an), "Stages is one call, not three Gets")
	assert.Equal(t, 1, count(memstore.OpGet, bn), "the faulted read; not the refused nor the cancelled one")
	assert.Equal(t, 1, count(memstore.OpDelete, bn))
	assert.Equal(t, 5, count("", an))
	assert.Equal(t, 2, count("", bn))
	assert.Equal(t, 7, count("", ""))
	f.Clear()
	assert.Equal(t, 7, count("", ""), "Clear keeps counts")
}

// Concurrent callers, arming and removal race-free: a fault limited to n
// calls fails exactly n of many concurrent calls.
func TestConcurrentCallers(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	s := faultyStore(t, &f)
	_, err := s.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	const n, callers = 7, 40
	limited := f.Fail(memstore.Match{Op: memstore.OpGet, Times: n}, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range callers {
		wg.Go(func() {
			_, err := s.Current(ctx)
			if errors.Is(err, memstore.ErrInjected) {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
		wg.Go(func() {
			x := f.Fail(memstore.Match{Op: memstore.OpList, Times: memstore.Always}, nil)
			_, _ = s.List(ctx)
			_ = f.Calls(memstore.Match{})
			x.Remove()
		})
	}
	wg.Wait()
	require.Equal(t, n, failed)
	require.Equal(t, n, limited.Hits())
	require.Equal(t, callers, f.Calls(memstore.Match{Op: memstore.OpGet}))
}

// A Store with faults attached keeps every capability of the memory
// store, and WithFaults(nil) attaches nothing.
func TestFaultsKeepCapabilities(t *testing.T) {
	for _, s := range []*secrets.Store{
		memstore.NewStore(memstore.WithFaults(&memstore.Faults{})),
		memstore.OpenStore(t.Name(), memstore.WithFaults(&memstore.Faults{})),
		memstore.NewStore(memstore.WithFaults(nil), nil),
	} {
		assert.True(t, s.SupportsCompareAndSwap())
		assert.True(t, s.SupportsDestroy())
		assert.True(t, s.SupportsStagesSnapshot())
	}
}

// Faults belong to the Store they are attached to: another Store over the
// same named secret is not affected.
func TestFaultsArePerStore(t *testing.T) {
	ctx := t.Context()
	var f memstore.Faults
	faulted := openFresh(t, t.Name(), &f)
	plain := memstore.OpenStore(t.Name())
	f.Fail(memstore.Match{Times: memstore.Always}, nil)
	_, err := plain.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	_, err = faulted.Current(ctx)
	require.ErrorIs(t, err, memstore.ErrInjected)
	require.Equal(t, 1, f.Calls(memstore.Match{}))
}

// A Match that could never be meant panics when used, so that a typo
// cannot arm a fault that never fires.
func TestBadMatchPanics(t *testing.T) {
	var f memstore.Faults
	require.PanicsWithValue(t, `memstore: Fail: unknown Op "get"`, func() { f.Fail(memstore.Match{Op: "get"}, nil) })
	require.PanicsWithValue(t, `memstore: Calls: unknown Op "Write"`, func() { f.Calls(memstore.Match{Op: "Write"}) })
	require.PanicsWithValue(t, "memstore: Block: Times -2: want Always, 0 or more", func() { f.Block(memstore.Match{Times: -2}) })
	require.Panics(t, func() { f.Hook(memstore.Match{}, nil) })
}

// Reached is closed at once for a count already reached, and never for
// one a used-up fault cannot reach.
func TestReached(t *testing.T) {
	var f memstore.Faults
	s := faultyStore(t, &f)
	x := f.Fail(memstore.Match{Op: memstore.OpGet}, nil)
	never := x.Reached(2)
	_, err := s.Current(t.Context())
	require.ErrorIs(t, err, memstore.ErrInjected)
	<-x.Reached(1)
	<-x.Reached(0)
	select {
	case <-never:
		t.Fatal("Reached(2) closed after one call")
	default:
	}
}
