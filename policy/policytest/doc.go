// Package policytest is a ready-made world for testing rotation policies
// and targets: an emulated Snowflake account (package pattest), memory
// stores, one fake clock that drives both, and engines whose events and
// log lines are captured — with the checks snowpat's own fault campaign
// makes, as assertions.
//
// # A test in a few lines
//
//	func TestMyPolicy(t *testing.T) {
//		w := policytest.New(t)
//		tg := w.Target("POWERBI_SERVICE", myPolicy())
//		e := w.Engine()
//		for day := 0; day < 365; day++ {
//			if _, err := e.Apply(ctx, tg); err != nil {
//				t.Fatal(err)
//			}
//			w.RequireWorks(t, tg) // every store's secret logs in as the user
//			w.Clock.Step(24 * time.Hour)
//		}
//		w.RequireSettled(t, tg) // the stores agree, nothing is left pending
//	}
//
// New registers a check that runs when the test ends: no secret the world
// has seen (minted, verified, stored) appears in a captured event or log
// line.
//
// # Time
//
// The world's Clock (k8s.io/utils/clock/testing) is the emulator's and the
// engines': stepping it ages tokens, expires them and moves rotations due.
// An engine's own waits (the backoff between attempts) end at once, so a
// test never waits for time it did not move.
//
// # Faults
//
// Stores are memory stores (package memstore) named by their URLs. Give
// New a memstore.Faults (WithFaults) to make the next matching store call
// fail, lose its answer or block; the emulator injects Snowflake faults
// (Server.Inject). WithStores replaces the memory stores with your own
// (a store over a fake of your cloud, or behind your own injector): the
// engines and the assertions then use those.
//
// # Your own files and texts
//
// Adopt brings the targets of a real targets file into the world (its
// users made here, its stores replaced by memory stores), so a change to
// the file is planned and applied in CI. RequireNoSecretIn checks your
// program's own error texts and logs for any secret the world has seen.
package policytest
