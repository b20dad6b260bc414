package slowstore_test

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/internal/slowstore"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
	"github.com/snowpat/snowpat/secrets/storetest"
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
