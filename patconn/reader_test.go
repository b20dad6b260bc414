package patconn_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// flaky wraps the real memstore driver: Get fails while down is set, and
// can be made to block until released, to hold readers in one read.
type flaky struct {
	driver.Secret
	down  atomic.Bool
	gate  chan struct{}
	gated atomic.Bool
}

var errDown = errors.New("store down")

func (f *flaky) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if f.gated.Load() {
		<-f.gate
	}
	if f.down.Load() {
		return nil, errDown
	}
	return f.Secret.Get(ctx, sel)
}

func (f *flaky) ErrorCode(err error) driver.ErrorCode {
	if errors.Is(err, errDown) {
		return driver.CodeUnavailable
	}
	return f.Secret.ErrorCode(err)
}

func put(t testing.TB, s *secrets.Store, secret string) {
	t.Helper()
	b, err := pat.EncodeStored(pat.StoredToken{Account: "A", User: "SVC", TokenName: "T", Token: pat.NewSecret(secret)}, pat.FormatJSON)
	require.NoError(t, err)
	_, err = s.Put(context.Background(), b, nil)
	require.NoError(t, err)
}

func newReader(t testing.TB, opts patconn.Options) (*patconn.Reader, *secrets.Store, *flaky, *pattest.ManualClock) {
	f := &flaky{Secret: memstore.NewDriver(), gate: make(chan struct{})}
	s := secrets.NewStore(f)
	clock := pattest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	opts.Clock = clock
	r := patconn.NewReader(s, opts)
	t.Cleanup(func() { _ = r.Close(); _ = s.Close() })
	return r, s, f, clock
}

func TestReaderCaches(t *testing.T) {
	r, s, _, clock := newReader(t, patconn.Options{TTL: time.Minute, RefreshAhead: time.Second})
	ctx := context.Background()
	put(t, s, "one")
	tok, err := r.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, "one", tok.Secret.Reveal())
	require.Equal(t, "SVC", tok.User)
	put(t, s, "two")
	clock.Advance(58 * time.Second)
	tok, _ = r.Get(ctx)
	require.Equal(t, "one", tok.Secret.Reveal(), "within the TTL the cache answers")
	require.Equal(t, int64(1), r.Reads())
	clock.Advance(2 * time.Second)
	tok, _ = r.Get(ctx)
	require.Equal(t, "two", tok.Secret.Reveal(), "after the TTL the store answers")
	require.Equal(t, int64(2), r.Reads())
}

// TestReaderOneReadForManyCallers holds the store read open while many
// callers arrive: they must share it.
func TestReaderOneReadForManyCallers(t *testing.T) {
	r, s, f, _ := newReader(t, patconn.Options{})
	put(t, s, "one")
	f.gated.Store(true)
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
	f.gated.Store(false)
	close(f.gate)
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

func TestReaderRefreshesAhead(t *testing.T) {
	r, s, _, clock := newReader(t, patconn.Options{TTL: time.Minute, RefreshAhead: 10 * time.Second})
	ctx := context.Background()
	put(t, s, "one")
	_, err := r.Get(ctx)
	require.NoError(t, err)
	put(t, s, "two")
	clock.Advance(55 * time.Second)
	tok, _ := r.Get(ctx) // stale: answers from cache and refreshes behind
	require.Equal(t, "one", tok.Secret.Reveal())
	require.NoError(t, r.Close()) // waits for the background refresh
	tok, _ = r.Get(ctx)
	require.Equal(t, "two", tok.Secret.Reveal())
	require.Equal(t, int64(2), r.Reads())
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

	f.down.Store(true)
	_, err := r.Get(ctx)
	require.ErrorIs(t, err, secrets.ErrUnavailable, "no token yet: the error comes back")

	f.down.Store(false)
	put(t, s, "one")
	_, err = r.Get(ctx)
	require.NoError(t, err)
	f.down.Store(true)
	clock.Advance(2 * time.Minute)
	tok, err := r.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, "one", tok.Secret.Reveal())
	_, err = r.Refresh(ctx)
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	mu.Lock()
	require.GreaterOrEqual(t, len(reported), 2)
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
	put(t, s, "one")
	ctx := context.Background()
	_, err := r.Get(ctx)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(1000, func() { _, _ = r.Get(ctx) })
	require.Zero(t, allocs)
}

func TestClosedReader(t *testing.T) {
	r, _, _, _ := newReader(t, patconn.Options{})
	require.NoError(t, r.Close())
	_, err := r.Get(context.Background())
	require.ErrorIs(t, err, patconn.ErrClosed)
}
