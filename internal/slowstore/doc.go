// Package slowstore wraps a secret store driver so that every call costs
// a network round trip: it waits a set latency before each call and counts
// the calls. Benchmarks use it to put a store at the same distance as the
// emulated Snowflake, so that wall time can be compared with the lower
// bound the round trips imply.
//
// A wrapped driver offers exactly the optional capabilities of the driver
// it wraps (compare-and-swap, reading every stage at once, destroy), so
// that the Store over it takes the same paths and the count is what the
// driver would do: a memstore's Stages counts one call, a driver without
// driver.StagesReader three.
package slowstore
