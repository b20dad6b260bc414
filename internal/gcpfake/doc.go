// Package gcpfake is an in-process GCP Secret Manager for tests: a gRPC
// SecretManagerService that the real cloud.google.com/go/secretmanager
// client talks to over an in-memory connection (or loopback TCP, for code
// that dials an address itself).
//
// # Overview
//
// New starts a Server; NewClient returns a real client connected to it
// whose retry backoff is a millisecond instead of the default two seconds;
// Close stops the server and every connection. ListenTCP serves the same
// state on a loopback port, for clients made from an endpoint address.
//
// The fake implements the methods secrets/gcpsm calls, written from the
// API reference rather than from the adapter, so that it can catch the
// adapter's mistakes instead of sharing them: CreateSecret, GetSecret,
// UpdateSecret, DeleteSecret, ListSecrets, AddSecretVersion,
// GetSecretVersion, AccessSecretVersion, ListSecretVersions,
// DisableSecretVersion, EnableSecretVersion and DestroySecretVersion. Any
// other method answers UNIMPLEMENTED.
//
// # What it reproduces
//
//   - Names: secrets are projects/{project}/secrets/{id}, ids 1 to 255
//     letters, digits, '-' and '_'; versions are numbered from 1 and never
//     reused; "latest" is the most recently created version and a version
//     alias names the version it points at, both resolved by the server.
//   - States: ENABLED, DISABLED and DESTROYED. Only enabled versions can be
//     accessed (FAILED_PRECONDITION otherwise); a destroyed version loses
//     its payload and cannot be enabled or disabled again.
//   - Etags on secrets and versions, changed by every update. An update,
//     deletion, or version state change carrying a stale etag fails with
//     ABORTED, as Google's API guidelines (AIP-154) require; SetEtagCode
//     switches to FAILED_PRECONDITION, which older services answer.
//   - UpdateSecret honours its field mask (labels, annotations,
//     version_aliases); aliases must name existing, not destroyed
//     versions and follow the alias rules; annotations are limited to
//     16 KiB in total.
//   - Payload checksums: a data_crc32c that does not match is refused, and
//     accessed payloads carry theirs.
//   - NOT_FOUND, ALREADY_EXISTS and INVALID_ARGUMENT where the service
//     answers them; PERMISSION_DENIED and any other code by injection.
//
// # Fault injection
//
// FailNext makes the next call of a method fail with a status code;
// FailAfterApply lets it take effect and then answers it with a status or
// drops its connection (the client sees UNAVAILABLE), the lost answer a
// client cannot tell from a call that never happened; SetLatency delays
// every call of a method; Hold parks the next call until
// the test releases it. Calls counts calls per method, faulted ones
// included. Method names are short: "AccessSecretVersion".
package gcpfake
