package patconn_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
)

// Readers on the fast path while the store's token changes and goes away
// under them: a read that starts after a Refresh has returned must see
// what that Refresh saw or something newer, never the token it replaced or
// dropped. The writer walks through numbered states, every fifth a
// deleted secret and the others the token "v<state>"; it records a state
// as intended before changing the store and as done once Refresh has
// returned. A read that starts once state lo is done and ends before
// state hi is intended must return a state in [lo, hi]. Run it with -race.
func TestGetWhileEntriesSwap(t *testing.T) {
	const states, readers = 300, 3
	r, s, _ := newRealReader(t, patconn.Options{TTL: time.Hour})
	ctx := context.Background()
	deleted := func(k int64) bool { return k%5 == 0 }

	var intent, done atomic.Int64
	stop := make(chan struct{})
	errs := make(chan error, readers)
	var wg sync.WaitGroup
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- readUntil(ctx, r, stop, &intent, &done, deleted)
		}()
	}

	for k := int64(1); k <= states; k++ {
		intent.Store(k)
		if deleted(k) {
			require.NoError(t, s.Delete(ctx))
			_, err := r.Refresh(ctx)
			require.ErrorIs(t, err, secrets.ErrNotFound)
		} else {
			put(t, s, fmt.Sprintf("v%d", k))
			tok, err := r.Refresh(ctx)
			require.NoError(t, err)
			require.Equal(t, fmt.Sprintf("v%d", k), tok.Secret.Reveal())
			require.True(t, patconn.Fresh(r))
		}
		done.Store(k)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// readUntil reads until stop is closed and returns the first read that
// saw a state outside the window it ran in.
func readUntil(ctx context.Context, r *patconn.Reader, stop <-chan struct{}, intent, done *atomic.Int64, deleted func(int64) bool) error {
	for n := 0; ; n++ {
		select {
		case <-stop:
			if n == 0 {
				return errors.New("no read ran")
			}
			return nil
		default:
		}
		lo := done.Load()
		tok, err := r.Get(ctx)
		hi := intent.Load()
		if err != nil {
			if !errors.Is(err, secrets.ErrNotFound) {
				return err
			}
			found := false
			for k := lo; k <= hi; k++ { // state 0, before the first, has no secret
				found = found || deleted(k)
			}
			if !found {
				return fmt.Errorf("not found, but the secret existed in every state from %d to %d", lo, hi)
			}
			continue
		}
		k, perr := strconv.ParseInt(strings.TrimPrefix(tok.Secret.Reveal(), "v"), 10, 64)
		if perr != nil || k < lo || k > hi {
			return fmt.Errorf("read state %d (%v) in the window [%d, %d]", k, perr, lo, hi)
		}
	}
}
