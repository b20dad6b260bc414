package memstore

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return openSecret(name), nil
		},
		CompareAndSwap:           true,
		Destroy:                  true,
		StagesSnapshot:           true,
		ApplyThenFailUnsupported: "an in-process store answers every call it makes: it has no answer to lose",
		FailReadsUnsupported:     "an in-process store is never down",
		Names:                    storetest.NameCases(),
	})
}

// noCAS hides the driver's optional interfaces, so that the suite's cases
// for backends without compare-and-swap run too, and Stages takes the
// Store's fallback of three concurrent Gets.
type noCAS struct{ driver.Secret }

func TestConformanceWithoutCompareAndSwap(t *testing.T) {
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return noCAS{openSecret(name)}, nil
		},
		ApplyThenFailUnsupported: "an in-process store answers every call it makes: it has no answer to lose",
		FailReadsUnsupported:     "an in-process store is never down",
	})
}
