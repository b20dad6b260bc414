// Package secrets is one portable, versioned secret store over a small
// driver interface: the same code reads and rotates a secret kept in a
// local directory, in memory for tests, or (through adapter packages) in
// AWS Secrets Manager, GCP Secret Manager, Azure Key Vault or HashiCorp
// Vault.
//
// # Overview
//
// A [Store] addresses one secret, as one URL names one secret:
//
//	store, err := secrets.OpenStore(ctx, "file:///var/lib/snowpat/powerbi")
//	v, err := store.Current(ctx)
//	use(v.Value())
//
// A secret is a list of immutable versions. Values are opaque bytes, 1 to
// [MaxValueSize] (16 KiB) long; the package knows nothing of what they
// mean. Each version may carry a little metadata (at most
// [MaxMetadataEntries] entries; keys of lowercase letters, digits, '_' and
// '-' starting with a letter, at most [MaxMetadataKeyLen] bytes; values of
// at most [MaxMetadataValueLen] bytes of printable UTF-8). The limits are
// the tightest of the planned backends (with one exception noted at
// MaxValueSize), so a secret written through one can move to another.
// Metadata is not secret: backends store it as plain tags.
//
// A [Version] never shows its value when printed, encoded or logged: only
// its Value method returns it. Every argument is checked before the
// backend is called, so a refused call sent nothing.
//
// # Stages
//
// Each version holds at most one [Stage], and each stage is held by at
// most one version, after the AWS Secrets Manager model that every adapter
// maps onto its backend:
//
//   - [StageCurrent] is what readers use. [Store.Put] writes a new current
//     version.
//   - [StagePending] is a version staged by a rotation: [Store.PutPending]
//     writes one without disturbing readers.
//   - [StagePrevious] is the version that was current before. [Store.Promote]
//     makes a version current and the old current previous, so clients
//     that cached the old value, and a rollback (promoting the previous
//     version), keep working.
//   - [StageNone] is every other version. [Store.Retire] takes a version out
//     of use and, where the backend can, disables it.
//
// A rotation is PutPending, a check that the new value works, Promote, and
// later Retire of the previous version.
//
// # Reading every stage
//
// [Store.Stages] returns the versions holding the current, pending and
// previous stages in one call ([Stages], nil for a stage nobody holds),
// for a program that looks at a whole secret at once, as a rotation engine
// does on every pass. Its answer is exactly what the three [Store.ByStage]
// reads give, and so are its errors: [ErrNotFound] only when all three
// would be not found (the secret does not exist, or none of its versions
// holds a stage), and any other failure fails the whole call, so that a
// stage is never reported absent because its read failed.
//
// What it costs depends on the backend. Where one read can serve all
// three stages consistently, the driver implements
// [github.com/snowpat/snowpat/secrets/driver.StagesReader] and Stages is
// one snapshot ([Store.SupportsStagesSnapshot]):
//
//	memstore    one call, under the secret's mutex
//	filestore   one shared lock: state.json and the held versions' files
//	k8ssecret   one GET of the Secret
//	vault       the stage record, then the versions it names concurrently:
//	            2 to 4 requests in two round trips (6 as three reads)
//
// Elsewhere Stages issues the three ByStage reads concurrently: one
// ByStage's round trips of latency and three reads' requests (awssm,
// gcpsm: 4 to 6 requests; azkv: 3 to 6; each adapter documents why no
// single request exists). Those three reads are not a snapshot: each is
// right for its own moment, so a Promote in between can show one version
// as both current and previous. As with any read, decide from it and
// write with compare-and-swap where the backend has it.
//
// Writes accept an idempotency key ([PutOptions]): a retried write with
// the same key and value returns the first write's version id and changes
// nothing, so a write whose response was lost can be retried safely.
//
// # Compare-and-swap
//
// [Store.PutIf], [Store.PutPendingIf] and [Store.PromoteIf] write only if a
// [Precondition] holds at the moment of writing: [IfCurrent] (the current
// version is still the one read) or [IfAbsent] (the secret has no version
// yet). A lost race is [ErrConflict] and writes nothing: re-read and try
// again. Not every backend can check and write atomically, and an
// emulation would reintroduce the race, so this is an optional capability:
// [Store.SupportsCompareAndSwap] says whether a backend has it, and
// without it these methods return [ErrUnsupported].
//
// # Errors
//
// Every error is an [*Error] whose kind is tested with errors.Is against a
// small set shared by all backends: [ErrNotFound], [ErrAlreadyExists],
// [ErrConflict], [ErrPermissionDenied], [ErrUnavailable] (retry),
// [ErrInvalidArgument] and [ErrUnsupported]. The backend's native error
// stays reachable with errors.As or [Store.ErrorAs]; [Store.As] reaches
// the backend's client. When the context is done, the error matches
// context.Canceled or context.DeadlineExceeded and none of the kinds, so
// a cancelled call is never mistaken for a retryable one. No error text
// contains a secret value. To test how a program handles these errors
// (a store that is down, a lost answer, a call that never returns), give
// it a memory store with faults attached: see the Faults section of
// [github.com/snowpat/snowpat/secrets/memstore].
//
// # URLs
//
// [OpenStore] opens a secret by URL through the schemes adapter packages
// register from their init functions, so importing an adapter, even with
// a blank import, is what makes its scheme work:
//
//	import _ "github.com/snowpat/snowpat/secrets/filestore" // file:///var/lib/snowpat/powerbi
//	import _ "github.com/snowpat/snowpat/secrets/memstore"  // mem://powerbi
//
// Unknown schemes and unknown query parameters are [ErrInvalidArgument],
// so a typo cannot silently open another secret. [URLMux] is the registry,
// for programs that want their own; [Register] adds to the default one.
//
// Two URLs can name one secret ("file:///x/a" and "file:///x/b/../a"):
// [Identity] gives the canonical identity of the secret a URL opens,
// computed offline, for a program that must refuse two configured stores
// that are one. Adapters register it with [RegisterIdentity].
//
// A store URL decides where secrets are sent, so openers refuse a
// connection without TLS (or without authentication of the server) to a
// host that is not loopback, unless the operator accepts it explicitly
// ([Cleartext]; each adapter documents its switch), which then logs a
// warning on the context's logger ([WithLogger]).
//
// Adapters implement [github.com/snowpat/snowpat/secrets/driver] and run
// the conformance suite in [github.com/snowpat/snowpat/secrets/storetest].
package secrets
