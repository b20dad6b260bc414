package policytest_test

import (
	"context"
	"errors"
	"strings"
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

// A targets file checked in CI before it reaches the real account: its
// users are made in the emulator, its stores become memory stores, and
// every target must plan without being blocked and then apply. (Run by
// TestExamples.)
func ExampleWorld_Adopt() {
	testTargetsFile := func(t *testing.T) {
		const file = `
account: xy12345
policies:
  bi: {preset: production, roleRestriction: BI_READER_ROLE}
targets:
  - {name: tableau, user: TABLEAU_SERVICE, token: TABLEAU, policy: bi, stores: ["awssm://bi/tableau?region=eu-west-1"]}
`
		conf, err := policy.LoadConfig(strings.NewReader(file), "targets.yaml")
		if err != nil {
			t.Fatal(err)
		}
		w := policytest.New(t)
		targets := w.Adopt(conf.Targets)
		e := w.Engine()
		for _, d := range e.Plan(context.Background(), targets).Decisions {
			if d.Action == policy.ActionBlocked {
				t.Fatalf("%s is blocked: %s", d.Target, d.Reason())
			}
		}
		for _, tg := range targets {
			if _, err := e.Apply(context.Background(), tg); err != nil {
				t.Fatal(err)
			}
			w.RequireWorks(t, tg)
		}
	}
	exampleTests["World.Adopt"] = testTargetsFile
}

// exampleTests are the tests the Examples show, by Example.
var exampleTests = map[string]func(*testing.T){}

// The tests the Examples show pass.
func TestExamples(t *testing.T) {
	ExampleNew()
	ExampleWorld_Adopt()
	for name, test := range exampleTests {
		t.Run(name, test)
	}
}
