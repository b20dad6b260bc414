// Package filestore keeps a secret in a local directory: the embedded
// default backend, for a single host, with the same guarantees as a cloud
// secret manager against concurrent writers and crashes.
//
// # Overview
//
// OpenStore(dir) returns a Store over the secret in dir. The directory
// (mode 0700, created by the first write) holds, all mode 0600:
//
//   - v-<id>: one file per version, holding exactly its value. Ids are 32
//     random hex digits, never reused.
//   - state.json: every version's id, stage, creation time, enabled flag,
//     idempotency key and metadata; no values, so listing versions never
//     opens a file with a secret in it.
//   - lock: an empty file for flock.
//
// Retired versions keep their file (they are disabled, not destroyed);
// Delete removes everything.
//
// # Stages
//
// Stages follow package secrets. They live only in state.json, so moving
// them (Put, Promote, Retire) is one atomic replacement of that file.
//
// Every file is written to a temporary file, fsynced, renamed into place
// and made durable with an fsync of the directory. A new version's file is
// durable before the state file that names it is replaced, so a crash at
// any point leaves the old state or the new one: never a torn value, never
// a state naming a missing file. Leftovers of a crash (temporary files,
// versions no state names) are removed by the next write.
//
// # Compare-and-swap
//
// Supported. Every read takes a shared flock on the lock file and every
// write an exclusive one, so a write's read-modify-write of state.json,
// and so a precondition check and the write it guards, cannot interleave
// with another's, whether the other is in this process or another one on
// the host. flock is advisory: a process that edits the directory without
// it is not stopped. Network file systems may not honour flock; keep the
// directory on a local disk.
//
// # Errors
//
// Missing secrets, versions and stages are secrets.ErrNotFound; permission
// problems secrets.ErrPermissionDenied; a directory whose files break the
// invariants above (edited by hand, say) gives an error with no code
// rather than a guess. Store.ErrorAs reaches the *fs.PathError behind a
// failed file operation. filestore builds only where flock exists
// (Linux, macOS, the BSDs); elsewhere every call fails with
// secrets.ErrUnsupported.
//
// # URLs
//
// Importing filestore registers the "file" scheme:
// "file:///var/lib/snowpat/powerbi" opens the secret in that directory. The
// path must be absolute; host, user, query and fragment are refused. A
// blank import is enough:
//
//	import _ "github.com/snowpat/snowpat/secrets/filestore"
package filestore
