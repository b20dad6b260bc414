// Package storetest is the conformance suite every secrets backend runs:
// memstore and filestore here, and each cloud adapter in its own package.
//
// # Overview
//
// An adapter's test file needs three lines:
//
//	func TestConformance(t *testing.T) {
//		storetest.RunConformanceTests(t, storetest.Harness{NewSecret: newSecret, CompareAndSwap: true})
//	}
//
// The suite runs each case as a subtest on a secret of its own, named
// freshly so that runs against a shared cloud account do not collide, and
// deletes the secret afterwards. It drives the backend through
// secrets.Store, so what it checks is what applications see, and calls the
// driver directly only where the Store's own checks would hide the
// driver's behaviour (a cancelled context).
//
// # Stages
//
// The stage cases walk a rotation: a pending version is promoted, the old
// current becomes previous, the previous before it loses its stage;
// promoting the previous version rolls back; retiring takes a version out
// of use. After each step the suite checks the whole secret: List, every
// stage read, and every version read by id.
//
// # Compare-and-swap
//
// A backend says whether it supports compare-and-swap; the suite checks
// that the claim matches the driver, then either checks that conflicts
// change nothing and that concurrent read-modify-write loops lose no
// update, or that every CAS call fails with secrets.ErrUnsupported and
// writes nothing.
//
// # Errors
//
// Every value the suite writes is distinctive and random, and every error
// any case sees is scanned, with its whole wrap chain, for those values in
// raw, hex and base64 form: a backend whose errors echo a secret fails.
//
// # URLs
//
// The suite does not open URLs: adapters test their own URL parsing.
package storetest
