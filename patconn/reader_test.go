package patconn_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
)

func TestReaderCaches(t *testing.T) {
	r, s, _, clock := newReader(t, patconn.Options{TTL: time.Minute, RefreshAhead: time.Second})
	ctx := context.Background()
	put(t, s, "one")
	tok, err := r.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, "one", tok.Secret.Reveal())
	require.Equal(t, "SVC", tok.User)
	put(t, s, "two")
	clock.Step(58 * time.Second)
	tok, _ = r.Get(ctx)
	require.Equal(t, "one", tok.Secret.Reveal(), "within the TTL the cache answers")
	require.Equal(t, int64(1), r.Reads())
	clock.Step(2 * time.Second)
	tok, _ = r.Get(ctx)
	require.Equal(t, "two", tok.Secret.Reveal(), "after the TTL the store answers")
	require.Equal(t, int64(2), r.Reads())
}

// TestReaderOneReadForManyCallers holds the store read open while many
// callers arrive: they must share it.
func TestReaderOneReadForManyCallers(t *testing.T) {
	r, s, f, _ := newReader(t, patconn.Options{})
	put(t, s, "one")
	gate := f.Block(reads)
	var wg sync.WaitGroup
	results := make(chan string, 50)
	started := make(chan struct{}, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			tok, err := r.Get(context.Background())
			if err == nil {
				results <- tok.Secret.Reveal()
			}
		}()
	}
	for i := 0; i < 50; i++ {
		<-started
	}
	gate.Remove()
	wg.Wait()
	close(results)
	n := 0
	for v := range results {
		require.Equal(t, "one", v)
		n++
	}
	require.Equal(t, 50, n)
	require.Equal(t, int64(1), r.Reads())
}

// TestReaderRefreshesAhead: in the last RefreshAhead of the TTL a read
// answers from the cache and refreshes behind; synctest.Wait lets the
// background refresh finish.
func TestReaderRefreshesAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, s, _, clock := newReader(t, patconn.Options{TTL: time.Minute, RefreshAhead: 10 * time.Second})
		ctx := context.Background()
		readFirst(t, r, s)
		put(t, s, "two")
		clock.Step(55 * time.Second)
		tok, _ := r.Get(ctx) // stale: answers from cache and refreshes behind
		require.Equal(t, "one", tok.Secret.Reveal())
		synctest.Wait()
		require.Equal(t, int64(2), r.Reads())
		tok, _ = r.Get(ctx)
		require.Equal(t, "two", tok.Secret.Reveal())
		require.Equal(t, int64(2), r.Reads())
	})
}

func TestReaderKeepsLastGoodToken(t *testing.T) {
	var reported []error
	var mu sync.Mutex
	r, s, f, clock := newReader(t, patconn.Options{TTL: time.Minute, OnError: func(err error) {
		mu.Lock()
		reported = append(reported, err)
		mu.Unlock()
	}})
	ctx := context.Background()

	f.Fail(reads, errDown)
	_, err := r.Get(ctx)
	require.ErrorIs(t, err, secrets.ErrUnavailable, "no token yet: the error comes back")

	f.Clear()
	put(t, s, "one")
	_, err = r.Get(ctx)
	require.NoError(t, err)
	f.Fail(reads, errDown)
	clock.Step(2 * time.Minute)
	tok, err := r.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, "one", tok.Secret.Reveal())
	_, err = r.Refresh(ctx)
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	mu.Lock()
	require.GreaterOrEqual(t, len(reported), 2)
	for _, err := range reported {
		require.ErrorIs(t, err, secrets.ErrUnavailable)
	}
	mu.Unlock()
	// Failing reads are not repeated on every call.
	reads := r.Reads()
	for i := 0; i < 10; i++ {
		_, _ = r.Get(ctx)
	}
	require.Equal(t, reads, r.Reads())
}

func TestReaderRejectsMalformedValue(t *testing.T) {
	r, s, _, _ := newReader(t, patconn.Options{})
	_, err := s.Put(context.Background(), []byte(`{"patTokenValue": 42}`), nil)
	require.NoError(t, err)
	_, err = r.Get(context.Background())
	require.ErrorIs(t, err, pat.ErrMalformedStored)
}

// TestCachedReadDoesNotAllocate: the common path is an atomic load.
func TestCachedReadDoesNotAllocate(t *testing.T) {
	r, s, _, _ := newReader(t, patconn.Options{TTL: time.Hour})
	readFirst(t, r, s)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() { _, _ = r.Get(ctx) })
	require.Zero(t, allocs)
}

func TestClosedReader(t *testing.T) {
	r, _, _, _ := newReader(t, patconn.Options{})
	require.NoError(t, r.Close())
	_, err := r.Get(context.Background())
	require.ErrorIs(t, err, patconn.ErrClosed)
}
