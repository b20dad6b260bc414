package memstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

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

// With a Faults attached and nothing armed, the store is the plain memory
// store, with every capability; armed, the faults give the suite what an
// in-process store otherwise cannot: writes whose answer is lost, and a
// backend that is down for reads.
func TestConformanceWithFaults(t *testing.T) {
	var faults Faults
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return withOptions(openSecret(name), name, []Option{WithFaults(&faults)}), nil
		},
		CompareAndSwap: true,
		Destroy:        true,
		StagesSnapshot: true,
		ApplyThenFail: func(_ *testing.T, name string, f storetest.WriteFault) func() {
			// One call stores and stages a version: both steps are it.
			put := faults.LoseAnswer(Match{Op: OpPut, Store: name, Times: f.Times}, nil)
			pending := faults.LoseAnswer(Match{Op: OpPutPending, Store: name, Times: f.Times}, nil)
			return func() { put.Remove(); pending.Remove() }
		},
		FailReads: func(_ *testing.T, name string) func() {
			var down []*Fault
			for _, op := range []Op{OpGet, OpStages, OpList} {
				down = append(down, faults.Fail(Match{Op: op, Store: name, Times: Always}, nil))
			}
			return func() {
				for _, x := range down {
					x.Remove()
				}
			}
		},
		Names: storetest.NameCases(),
	})
}

// Called directly with a done context, a driver with faults armed returns
// the context's error, as the driver contract requires, and counts
// nothing: the Store never makes such a call, but a wrapper may.
func TestFaultyDriverHonoursDoneContext(t *testing.T) {
	var f Faults
	d := withOptions(openSecret(t.Name()), t.Name(), []Option{WithFaults(&f)})
	f.Fail(Match{Times: Always}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := d.Get(ctx, driver.Selector{Stage: driver.StageCurrent})
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, ErrInjected)
	require.Zero(t, f.Calls(Match{}))
}
