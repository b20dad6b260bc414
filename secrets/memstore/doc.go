// Package memstore is an in-memory secrets backend for tests: a program's
// unit tests can run the code that reads and rotates its secrets without a
// cloud account or a disk.
//
// # Overview
//
// OpenStore(name) returns a Store over a process-wide secret called name:
// two Stores opened with the same name share versions, as two clients of a
// real backend do, so a test can write through one and read through the
// other. NewStore returns a Store over a fresh, unnamed secret. Everything
// is lost when the process exits.
//
// # Stages
//
// Stages follow package secrets exactly: Put makes a version current,
// PutPending stages one, Promote moves current, Retire disables a version
// (reading it then returns secrets.ErrNotFound). Store.Stages reads all
// three stages under the secret's mutex: one snapshot, one call.
//
// # Compare-and-swap
//
// Supported: each secret has a mutex, so checking a precondition and
// writing are one step.
//
// # Errors
//
// Errors are classified by their secrets code only; memstore has no native
// error types, so Store.ErrorAs always reports false. Version ids are
// decimal numbers that are never reused within a process, even after
// Delete, so a stale id cannot silently name a newer version.
//
// # Faults
//
// A Store opened with WithFaults(f) lets a test make the store fail on
// demand, without writing a driver: "my service keeps working while the
// secret store is down", "my rotator recovers from a lost answer". Each
// method of [Faults] arms one fault on the calls a [Match] selects (an
// [Op], a store name, a number of calls or [Always]):
//
//   - Fail: the call fails before it runs; nothing changes.
//   - LoseAnswer: the call runs, then fails; the change happened.
//   - Block: the call waits until the fault is removed, then runs, or
//     until its context ends, then returns the context's error.
//   - Hook: a function runs at the call, before it, with the caller's
//     context (to cancel it, simulating a crash at that point).
//
// The first armed fault that matches a call applies to it; Remove and
// Clear disarm, and release blocked calls. [Fault.Reached] tells the test
// that calls have reached a fault (for Block: are being held), and
// Faults.Calls counts calls by operation and store, so that no test needs
// to sleep. An injected error gives the Store's error its kind: the
// secrets sentinel it wraps (secrets.ErrPermissionDenied, ErrNotFound, …),
// else secrets.ErrUnavailable, and context.Canceled or DeadlineExceeded
// are reported as a done context is; the error itself stays reachable
// with errors.Is and errors.As, and every injected error matches
// [ErrInjected]. A Store with faults attached keeps every capability of
// the memory store, and behaves as one without until a fault is armed.
//
// # URLs
//
// Importing memstore registers the "mem" scheme: "mem://name" opens the
// process-wide secret called name, and a path is part of the name
// ("mem://team/powerbi" is "team/powerbi"). No query parameters are
// accepted. A blank import is enough:
//
//	import _ "github.com/snowpat/snowpat/secrets/memstore"
package memstore
