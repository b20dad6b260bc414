// Package vault keeps a secret in a HashiCorp Vault KV version 2 engine,
// through the github.com/hashicorp/vault/api client.
//
// # Overview
//
// New(client, mount, path) returns a secrets.Store over the KV v2 secret
// at path in the engine mounted at mount. Each portable version is one KV
// version of that path, and its id is the KV version number ("7"). The
// value is stored as {"value": "<text>"} when it is UTF-8, so that vault
// kv get -field=value and Agent templates read it as it is, and as
// {"value_base64": "..."} otherwise.
//
// Beside the secret, at <path>/.snowpat-stages, a second KV secret (the
// stage record) holds what KV v2 has no place for: each version's stage,
// whether it is retired, its metadata and its idempotency marks. A policy
// for the secret therefore needs the same capabilities on the record,
// which a glob such as "kv/data/team/powerbi*" grants:
//
//	path "kv/data/team/powerbi"      { capabilities = ["create", "read", "update"] }
//	path "kv/data/team/powerbi/*"    { capabilities = ["create", "read", "update"] }
//	path "kv/metadata/team/powerbi"  { capabilities = ["read", "patch"] }
//	path "kv/delete/team/powerbi"    { capabilities = ["update"] }   # Retire
//	path "kv/destroy/team/powerbi"   { capabilities = ["update"] }   # Delete, Destroy, lost PutIfs
//
// Vault keeps max_versions versions of a path (the mount's setting, 10 by
// default); older ones are removed by Vault and leave List. A stage on a
// removed version goes with it, so set max_versions above the number of
// versions written between two promotions.
//
// # Stages
//
//	portable            Vault KV v2
//	--------            -----------
//	version             a KV version of <path>
//	version id          the KV version number
//	stages, retired,    the stage record <path>/.snowpat-stages, one KV
//	metadata, keys      version per change, written with check-and-set
//	Put, PutPending     a KV version of <path> (the value), then the record
//	Promote             the record
//	Retire              the record, then a soft delete of the KV version
//	                    (vault kv undelete restores it for an operator;
//	                    the record still says retired)
//	Destroy             the record (the version forgotten), then KV v2's
//	                    destroy of the version: its data is gone for good
//	Delete              the record emptied, then the KV versions destroyed
//	custom_metadata     snowpat-current, snowpat-pending, snowpat-previous
//	                    (version numbers) and snowpat-record-version: a
//	                    copy of the record's stages for people and tools
//
// Store.Stages reads the record once and then the KV versions it names
// for the three stages, concurrently: 1 request plus 1 per held stage (2
// to 4) in two round trips, where three reads by stage make 2 per held
// stage and 1 per absent one (4 to 6). It is a snapshot: the stages are
// one record version's, and a KV version's data never changes. KV v2 has
// no request that reads several versions, so two round trips is the floor.
//
// The record is the truth and the commit point: a value written whose
// record write never happened is an orphan KV version no reader of the
// record sees. A KV version written with vault kv put is one too. The
// custom metadata copy is written after each commit, best effort, and a
// writer that finds the record moved on while it copied copies again; KV
// v2 has no check-and-set for metadata, which is why it cannot be the
// truth. Readers that ask Vault for the latest version without a number
// get the newest one written, which during a rotation is the pending one:
// outside snowpat, read the version custom_metadata names as current.
//
// # Compare-and-swap
//
// Supported, on KV v2's own check-and-set. Every change (Put, PutPending,
// Promote, Retire, Delete, and their If forms) reads the record at some
// KV version N, decides, and writes version N+1 with cas=N; Vault refuses
// that write if anyone wrote the record since, and the change starts again
// from a fresh read. So a precondition (IfCurrent, IfAbsent) and an
// idempotency key are checked against the record the write replaces: they
// hold at the instant of the commit, for any number of writers in any
// number of processes. PromoteIf is as atomic as PutIf, because stages
// live in the record and not in the metadata, which has no
// check-and-set. A PutIf that loses destroys the value version it had
// written. The value path is written with cas too (against the version
// read just before), so mounts with cas_required work.
//
// What it does not cover: writers that bypass snowpat (vault kv put on the
// path makes an orphan; editing the record by hand can break anything), an
// operator's vault kv metadata delete of either path, and versions Vault
// drops past max_versions. After 100 lost races in a row a change gives
// up with secrets.ErrUnavailable.
//
// # Retries
//
// vault/api resends a request answered 5xx or 412, or whose connection
// failed (two more attempts by default, 1 to 1.5 seconds apart;
// VAULT_MAX_RETRIES changes it), writes included, and Vault may have
// carried out the first attempt. A resent check-and-set write then fails
// the check, as if another writer had got there first. The adapter tells
// the two apart:
//
//   - Every stage record write carries a random mark (the record's
//     "writer" field). A record write that fails the check, or fails with
//     no telling whether it happened, reads the record version it would
//     have made (cas+1): if that version carries its mark, the write
//     happened, and the change (Put, Promote, Retire, Delete and the If
//     forms) succeeded. So a Put reports the version it committed,
//     current or pending as asked, and a Delete does not report
//     ErrNotFound for the record it emptied itself. If that version
//     cannot be read, a Put also recognises its own commit in the latest
//     record: the version it wrote, with its creation time.
//   - A value write resent after Vault stored it fails the check too;
//     the adapter writes the value again. The first copy is a KV version
//     that no record names: no reader sees it, and Vault drops it past
//     max_versions.
//
// Deletes, destroys and the custom metadata copy are safe to repeat. When
// nothing can be told (Vault unreachable after the write), the error is
// secrets.ErrUnavailable and the write may have committed: retry it with
// the same idempotency key, which returns the committed version.
//
// Metadata lives in the stage record, not in custom_metadata, which
// refuses empty values (the KV v2 engine wants 1 to 512 bytes per value)
// and is per path, not per version: so empty metadata values round-trip.
//
// # Errors
//
// Store.ErrorAs (and errors.As) reach *api.ResponseError, with Vault's
// status and messages, for every error answer. The mapping:
//
//	404                                   secrets.ErrNotFound
//	403 (policy, bad or expired token)    secrets.ErrPermissionDenied
//	400                                   secrets.ErrInvalidArgument
//	405                                   secrets.ErrUnsupported
//	412, 429, 500, 502, 503, 504,         secrets.ErrUnavailable
//	no response
//
// Stage rules broken (retiring the current version, promoting a retired
// one, a lost precondition, a reused idempotency key) are
// secrets.ErrConflict, decided from the record. Store.As reaches the
// *api.Client.
//
// # URLs
//
// Importing this package registers the "vault" scheme:
//
//	vault://<mount>/<path>
//
// as in vault://secret/team/app/powerbi (mount "secret", path
// "team/app/powerbi"). The mount is one segment; a nested mount needs
// New. No query parameters are accepted.
//
// Over plain http the Vault token and every value would cross the
// network unencrypted, so a URL's client refuses an http address
// (VAULT_AGENT_ADDR's when set, else VAULT_ADDR's) whose host is not
// loopback (localhost, 127.0.0.0/8, ::1) with secrets.ErrInvalidArgument,
// before anything is sent, unless SNOWPAT_VAULT_INSECURE=true (InsecureEnv),
// which logs a warning (on the logger secrets.WithLogger puts in the
// context, else slog.Default()) every time the store is opened. https and
// unix:// addresses are allowed. New takes the client as given and checks
// nothing: its configuration is the caller's.
//
// secrets.Identity gives "vault://<mount>/<path>?addr=<address>" (and the
// namespace, when VAULT_NAMESPACE is set), from the environment as the
// opener reads it. One server reached by two addresses (the agent and the
// server, a name and an IP) is not recognised as one.
//
// # Destroying a version
//
// Store.Destroy forgets the version in the stage record (the commit;
// its idempotency key goes with it, so a write repeated with that key
// writes a new version), then destroys its value with KV v2's destroy
// (the policy needs "update" on <mount>/destroy/<path>): unlike Retire's
// soft delete, which vault kv undelete reverses, the data is gone; Vault
// keeps the version's metadata, marked destroyed. The record lists
// destroyed versions until Vault drops them past max_versions, so that a
// Destroy interrupted between its two steps is finished by its retry, and
// Delete destroys them too.
//
// # Credentials
//
// New uses the client as the caller configured it: token, AppRole,
// Kubernetes or any other auth method, namespace, TLS, retries. A URL
// builds a client the way the Vault CLI does, from api.DefaultConfig and
// the environment: VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE,
// VAULT_CACERT, VAULT_CLIENT_CERT, VAULT_SKIP_VERIFY, VAULT_MAX_RETRIES
// and the rest. Unlike the CLI it does not read ~/.vault-token; behind a
// Vault Agent with auto-auth, point VAULT_ADDR at the agent.
package vault
