// Package slowstore wraps a secret store driver so that every call costs
// a network round trip: it waits a set latency before each call and counts
// the calls. Benchmarks use it to put a store at the same distance as the
// emulated Snowflake, so that wall time can be compared with the lower
// bound the round trips imply.
package slowstore
