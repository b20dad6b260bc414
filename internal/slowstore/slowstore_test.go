package slowstore_test

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/internal/slowstore"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
	"github.com/snowpat/snowpat/secrets/storetest"
	"github.com/stretchr/testify/require"
)

// The wrapper must not change what the store does: it passes the suite.
func TestConformance(t *testing.T) {
	var lat slowstore.Latency
	var c slowstore.Counter
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return slowstore.Wrap(memstore.OpenDriver(t.Name()+"/"+name), &lat, &c), nil
		},
		CompareAndSwap:           true,
		Destroy:                  true,
		StagesSnapshot:           true,
		ApplyThenFailUnsupported: "an in-process store answers every call it makes: it has no answer to lose",
		FailReadsUnsupported:     "an in-process store is never down",
		Names:                    storetest.NameCases(),
	})
	if c.Load() == 0 {
		t.Fatal("no call was counted")
	}
}

// The counter keeps each call's round trip, so that calls made at once
// overlap and calls made in turn do not.
func TestCounterKeepsIntervals(t *testing.T) {
	var c slowstore.Counter
	var l slowstore.Latency
	s := secrets.NewStore(slowstore.Wrap(memstore.NewDriver(), &l, &c))
	ctx := context.Background()
	_, err := s.Put(ctx, []byte("a"), nil)
	require.NoError(t, err)
	_, err = s.Current(ctx)
	require.NoError(t, err)
	iv := c.Intervals()
	require.Len(t, iv, 2)
	require.False(t, iv[1].Start.Before(iv[0].End), "the read began after the write ended")
	c.Reset()
	require.Empty(t, c.Intervals())
	require.Zero(t, c.Load())
}
