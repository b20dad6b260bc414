package policytest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A test of your own policy: a target under it rotates through a store
// outage, and every check the fault campaign makes holds afterwards. (An
// Example cannot be given a *testing.T: this one shows the test, which
// TestExamples runs.)
func ExampleNew() {
	testMyPolicy := func(t *testing.T) {
		faults := &memstore.Faults{}
		w := policytest.New(t, policytest.WithFaults(faults))
		p := policy.Production()
		p.RotateEvery = 30 * policy.Day
		tg := w.Target("REPORTING_SERVICE", p)
		e := w.Engine()
		ctx := context.Background()

		if _, err := e.Apply(ctx, tg); err != nil {
			t.Fatal(err)
		}
		// The store refuses every write for a while: the pass fails,
		// and nothing that worked stops working.
		down := faults.Fail(memstore.Match{Op: memstore.OpPutPending, Times: memstore.Always}, errors.New("store down"))
		w.Clock.Step(31 * policy.Day)
		if _, err := e.Apply(ctx, tg); err == nil {
			t.Fatal("a rotation succeeded with its store down")
		}
		w.RequireWorks(t, tg)
		down.Remove()
		if _, err := e.Apply(ctx, tg); err != nil {
			t.Fatal(err)
		}
		w.RequireWorks(t, tg)
		w.RequireSettled(t, tg)
		// New checks that no secret leaked into events or logs when the
		// test ends.
	}
	exampleTests["New"] = testMyPolicy
}

// exampleTests are the tests the Examples show, by Example.
var exampleTests = map[string]func(*testing.T){}

// The tests the Examples show pass.
func TestExamples(t *testing.T) {
	ExampleNew()
	for name, test := range exampleTests {
		t.Run(name, test)
	}
}
