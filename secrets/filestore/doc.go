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
//     random lowercase hex digits, never reused.
//   - state.json: every version's id, stage, creation time, enabled flag,
//     idempotency key and metadata; no values, so listing versions never
//     opens a file with a secret in it.
//   - lock: an empty file for flock.
//   - .tmp-<id>: a file being written, for an instant.
//
// Retired versions keep their file (they are disabled, not destroyed);
// Store.Destroy unlinks one at once, and Delete removes everything.
//
// # Stages
//
// Stages follow package secrets. They live only in state.json, so moving
// them (Put, Promote, Retire) is one atomic replacement of that file.
// Store.Stages reads state.json and the held versions' files under one
// shared lock: a snapshot, where three reads by stage take the lock three
// times.
//
// Every file is written to a temporary file, fsynced, renamed into place
// and made durable with an fsync of the directory. A new version's file is
// durable before the state file that names it is replaced, so a crash at
// any point leaves the old state or the new one: never a torn value, never
// a state naming a missing file. Leftovers of a crash (temporary files,
// versions no state names) are removed by the next write; garbage
// collection matches exactly the names above, so no other file in the
// directory is ever removed.
//
// # Trust
//
// A secret on disk is only as safe as its directory, so every call first
// checks it the way ssh's StrictModes checks ~/.ssh, and refuses with
// secrets.ErrPermissionDenied (the *fs.PathError names the path) when:
//
//   - the directory is a symlink, is not owned by the process's user, or
//     is writable by group or others;
//   - an ancestor directory, from / down, is a symlink, is owned by
//     anyone but root or that user, or is writable by group or others
//     without the sticky bit (/tmp is fine);
//   - a file in it (a version, the state, the lock) is a symlink or not a
//     regular file. Files are opened with O_NOFOLLOW, and the lock file is
//     never created through a symlink.
//
// Symlinks in the parent of the path given to OpenStore are resolved
// when the Store is opened, so that /var → /private/var on macOS works.
//
// The first write also refuses (secrets.ErrInvalidArgument) a directory
// that holds files filestore did not make and no state.json: it belongs
// to something else, and nothing is created in it. An empty directory,
// or one holding only filestore's own names (what a crashed first write
// leaves), is taken over.
//
// # Where secrets may live
//
// A directory must be an absolute, clean path with no ".." segment, or
// OpenStore returns secrets.ErrInvalidArgument. When the environment
// variable SNOWPAT_FILESTORE_ROOT ([RootEnv]) names a directory, every
// secret's directory must lie below it (after symlinks in both are
// resolved), whether opened by path or by URL: an operator sets it where
// the rotator runs so that a targets file cannot name /etc or a home
// directory. [WithRoot] sets the root in code instead.
//
// # Compare-and-swap
//
// Supported. Every read takes a shared flock on the lock file and every
// write an exclusive one, so a write's read-modify-write of state.json,
// and so a precondition check and the write it guards, cannot interleave
// with another's, whether the other is in this process or another one on
// the host. A busy lock is asked for again without blocking, after waits
// that double from 1 ms to 50 ms, so a call whose context ends while it
// waits returns the context's error. flock is advisory: a process that
// edits the directory without it is not stopped. Network file systems may
// not honour flock; keep the directory on a local disk.
//
// # Errors
//
// Missing secrets, versions and stages are secrets.ErrNotFound; permission
// problems, and a directory or file that fails the trust checks,
// secrets.ErrPermissionDenied; a bad path, a path outside the root or a
// foreign directory secrets.ErrInvalidArgument; a directory whose files
// break the invariants above (edited by hand, say) gives an error with no
// code rather than a guess. Store.ErrorAs reaches the *fs.PathError behind
// a failed file operation. filestore builds only where flock, O_NOFOLLOW
// and file owners exist (Linux, macOS, the BSDs); elsewhere every call
// fails with secrets.ErrUnsupported.
//
// # URLs
//
// Importing filestore registers the "file" scheme:
// "file:///var/lib/snowpat/powerbi" opens the secret in that directory,
// under the rules above. Host, user, query and fragment are refused. A
// blank import is enough:
//
//	import _ "github.com/snowpat/snowpat/secrets/filestore"
package filestore
