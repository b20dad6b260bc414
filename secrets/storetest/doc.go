// Package storetest is the conformance suite every secrets backend runs:
// memstore and filestore here, and each cloud adapter in its own package.
//
// # Overview
//
// An adapter's test file needs a few lines:
//
//	func TestConformance(t *testing.T) {
//		storetest.RunConformanceTests(t, storetest.Harness{
//			NewSecret:      newSecret,
//			CompareAndSwap: true,
//			Destroy:        true,
//			ApplyThenFail:  fake.failAfterApply, // or ApplyThenFailUnsupported: "why"
//		})
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
// Every such check also reads Stages, the three stages in one call, and
// requires it to agree exactly with the three stage reads: the same
// versions, metadata and values, and ErrNotFound exactly when none of
// them found a version. A backend says whether its driver reads the
// stages as one snapshot (driver.StagesReader), and the suite checks the
// claim; either way Stages must agree. Through the harness's FailReads
// hook the suite takes the backend down and checks that Stages fails as
// the stage reads do, never as not-found and never with part of the
// stages; a harness that cannot says why in FailReadsUnsupported.
//
// # Compare-and-swap
//
// A backend says whether it supports compare-and-swap; the suite checks
// that the claim matches the driver, then either checks that conflicts
// change nothing and that concurrent read-modify-write loops lose no
// update, or that every CAS call fails with secrets.ErrUnsupported and
// writes nothing.
//
// # Destroy
//
// Likewise a backend says whether it can erase a version
// (driver.Destroyer); the suite checks the claim, then that a destroyed
// version can no longer be read, promoted or staged, that the current
// version is refused, and that a write repeated with a destroyed
// version's idempotency key writes a readable version instead of
// answering with the erased one; or that Destroy fails with
// secrets.ErrUnsupported and changes nothing.
//
// # Writes applied, then failed
//
// SDKs retry a request answered with a server error or whose connection
// dropped, writes included, and a write the backend carried out before
// failing then happens twice. The write-applied-then-failed cases make
// the backend do exactly that, through the harness's ApplyThenFail hook,
// to every step of a Put and a PutPending, once and several times in a
// row, and check that each write leaves one new version holding its
// stage, that a retry with its idempotency key returns it, and that a
// write without a key leaves at most one. A harness that cannot inject
// faults says why in ApplyThenFailUnsupported; it cannot leave both out.
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
