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
// # URLs
//
// Importing memstore registers the "mem" scheme: "mem://name" opens the
// process-wide secret called name, and a path is part of the name
// ("mem://team/powerbi" is "team/powerbi"). No query parameters are
// accepted. A blank import is enough:
//
//	import _ "github.com/snowpat/snowpat/secrets/memstore"
package memstore
