// Package k8slease is a policy.Locker on Kubernetes Leases
// (coordination.k8s.io/v1) through client-go, so that rotator replicas on
// Kubernetes are coordinated by the platform they run on.
//
// # Overview
//
//	locker, err := k8slease.New(clientset, k8slease.Options{
//		Namespace: "snowpat",
//		Identity:  os.Getenv("POD_NAME"),
//	})
//	engine, err := policy.New(policy.Options{..., Locker: locker})
//
// # One Lease per target
//
// Each key the engine locks (a target's ID) has a Lease of its own, named
// by LeaseName (prefix+key for plain keys: "snowpat-powerbi"). Replicas
// therefore share the work: each applies whichever targets it can lock,
// a replica that dies holds up only the targets it was working on, and
// for only one lease duration, and the engine's existing contract (a
// target locked by another rotator is skipped, not failed) needs nothing
// new. Leader election for the whole Runner (client-go's leaderelection)
// would leave every replica but one idle, stall all targets while
// leadership moves, and give the engine no per-target fence: the leader's
// lease is not the lock the engine checks before each step.
//
// # Protocol
//
// The Lease spec follows client-go's leader election, so kubectl and
// other tools read it as usual: holderIdentity, leaseDurationSeconds,
// acquireTime, renewTime, leaseTransitions; the annotation
// snowpat.io/lock-key names the key.
//
//   - Lock reads the Lease. Missing, it creates it (409 AlreadyExists:
//     another replica won, policy.ErrLocked). Without a holder (released),
//     it takes it. Held, it takes it only once the record has gone
//     unchanged (same resourceVersion) for the holder's
//     leaseDurationSeconds since this Locker first saw it, judged on this
//     Locker's clock alone; otherwise policy.ErrLocked. Taking is an
//     update on the resourceVersion read, so of two replicas racing, one
//     gets 409 Conflict and policy.ErrLocked.
//   - Every grant has a holder identity of its own, Identity plus a random
//     suffix, so two Lock calls in one process, or two replicas given the
//     same Identity, never both hold a key.
//   - A goroutine per grant renews the Lease every RenewEvery (an update
//     of renewTime on the resourceVersion it last wrote). A renewal that
//     finds the Lease held by another holder, or deleted, ends the grant.
//   - Unlock stops the renewals and clears holderIdentity, on the
//     resourceVersion last written, so a Lease taken over meanwhile is
//     left alone. It gives up after a quarter of Margin (at most 10 s) on
//     the Locker's clock, leaving the Lease to expire, so that a hung API
//     server cannot stall a shutdown; it releases even when the caller's
//     context has ended.
//
// # Fencing
//
// A grant trusts its Lease until Duration-Margin after the start of its
// last successful write (taking or renewing). Others cannot take the
// Lease over sooner than Duration after they saw that write, which came
// after its start, so the grant stops trusting it at least Margin before
// anyone else may start. Check reads only this state and the clock: it
// sends nothing, returns nil while the Lease is trusted, and an error
// wrapping policy.ErrLockLost once the deadline has passed without a
// renewal (partition, hung API server, paused process) or a renewal saw
// another holder. The engine calls Check before every mint, store write
// and promote, so a replica that has lost its Lease takes no further step
// that its successor could also be taking.
//
// The guarantee rests on two assumptions, as Kubernetes leader election
// does: the replicas' clocks run at the same rate to within
// Margin/Duration (their absolute times may differ freely), and one step
// that began just before the deadline ends within Margin. Renewal
// requests are cut off at the deadline, as a renewal that lands later is
// of no use. A replica that starts while a dead replica's Lease is still
// held waits one Duration before taking it, since it cannot know how old
// the record is.
//
// # Permissions
//
// Rules lists them: create on leases, which RBAC cannot limit by name,
// and get and update on the targets' Leases by name. The Locker sends no
// other verb (no delete, list or watch).
package k8slease
