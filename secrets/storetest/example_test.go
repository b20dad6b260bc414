package storetest_test

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
	"github.com/snowpat/snowpat/secrets/storetest"
)

// A backend's whole conformance run: a test function that tells the suite
// how to open a fresh secret and what the backend claims. (Test functions
// are not run by examples, so this one only compiles here; memstore's own
// conformance test is this code.)
func ExampleRunConformanceTests() {
	_ = func(t *testing.T) {
		storetest.RunConformanceTests(t, storetest.Harness{
			NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
				return memstore.OpenDriver(name), nil // the same name must reach the same secret
			},
			CompareAndSwap:           true,
			Destroy:                  true,
			ApplyThenFailUnsupported: "an in-process store answers every call it makes: it has no answer to lose",
			Names:                    storetest.NameCases(), // or the subset the backend accepts, e.g. NameCases("slash", "dot")
		})
	}
}
