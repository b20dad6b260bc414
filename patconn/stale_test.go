package patconn_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// While the store cannot be read the last good token is served, but only
// for MaxStale past the TTL; then reads fail with ErrStale, which also
// wraps the store's error.
func TestReaderStopsServingAfterMaxStale(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		opts  patconn.Options
		stale time.Duration // how long past the TTL the token is served
	}{
		"default": {patconn.Options{TTL: time.Minute}, patconn.DefaultMaxStale},
		"set":     {patconn.Options{TTL: time.Minute, MaxStale: 10 * time.Minute}, 10 * time.Minute},
		"off":     {patconn.Options{TTL: time.Minute, MaxStale: -1}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			r, s, f, clock := newReader(t, tc.opts)
			readFirst(t, r, s)
			f.Fail(reads, errDown)

			deadline := start.Add(time.Minute + tc.stale)
			for clock.Now().Before(deadline) {
				tok, err := r.Get(ctx)
				require.NoError(t, err, "at %s", clock.Now().Sub(start))
				require.Equal(t, "one", tok.Secret.Reveal())
				clock.Step(time.Minute)
			}
			clock.SetTime(deadline)
			tok, err := r.Get(ctx)
			require.ErrorIs(t, err, patconn.ErrStale)
			require.ErrorIs(t, err, secrets.ErrUnavailable)
			require.True(t, tok.Secret.IsZero())
			_, err = r.Get(ctx)
			require.ErrorIs(t, err, secrets.ErrUnavailable, "the token stays gone")

			f.Clear()
			tok, err = r.Get(ctx)
			require.NoError(t, err, "a store that answers again brings it back")
			require.Equal(t, "one", tok.Secret.Reveal())
		})
	}
}

// "Not found" and "permission denied" from the store are authoritative:
// the secret was deleted or access to it revoked, so the cached token
// stops being served at the first read that learns it, background or not.
func TestReaderDropsTokenTheStoreNoLongerHolds(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		revoke func(t *testing.T, s *secrets.Store, f *memstore.Faults)
		kind   error
	}{
		"deleted": {func(t *testing.T, s *secrets.Store, _ *memstore.Faults) { require.NoError(t, s.Delete(ctx)) }, secrets.ErrNotFound},
		"revoked": {func(_ *testing.T, _ *secrets.Store, f *memstore.Faults) { f.Fail(reads, errDenied) }, secrets.ErrPermissionDenied},
	} {
		t.Run(name+"/at expiry", func(t *testing.T) {
			r, s, f, clock := newReader(t, patconn.Options{TTL: time.Minute})
			readFirst(t, r, s)
			tc.revoke(t, s, f)
			clock.Step(time.Minute)
			tok, err := r.Get(ctx)
			require.ErrorIs(t, err, tc.kind)
			require.True(t, tok.Secret.IsZero())
			tok, err = r.Refresh(ctx)
			require.ErrorIs(t, err, tc.kind)
			require.True(t, tok.Secret.IsZero())
		})
		t.Run(name+"/refresh ahead", func(t *testing.T) {
			errs := make(chan error, 1)
			r, s, f, clock := newReader(t, patconn.Options{TTL: time.Minute, OnError: func(err error) { errs <- err }})
			readFirst(t, r, s)
			tc.revoke(t, s, f)
			clock.Step(55 * time.Second)
			_, err := r.Get(ctx) // still cached; learns of it in the background
			require.NoError(t, err)
			require.ErrorIs(t, <-errs, tc.kind)
			_, err = r.Get(ctx)
			require.ErrorIs(t, err, tc.kind, "served after the store said it is gone")
		})
	}
}
