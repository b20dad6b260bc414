package memstore_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets/memstore"
)

// Inside a testing/synctest bubble a call held by Block is durably
// blocked, so synctest.Wait returns while it is held instead of waiting
// for it: a test of a refresh that a hung store must not stall can run
// on the bubble's fake time.
func TestBlockInSynctestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f memstore.Faults
		s := memstore.NewStore(memstore.WithFaults(&f))
		defer s.Close()
		hung := f.Block(memstore.Match{Op: memstore.OpGet, Times: memstore.Always})
		ctx, cancel := context.WithCancel(t.Context())
		var err error
		go func() { _, err = s.Current(ctx) }()
		synctest.Wait()
		require.Equal(t, 1, hung.Hits())
		cancel()
		synctest.Wait()
		require.ErrorIs(t, err, context.Canceled)
	})
}
