// Package gcpsm keeps a secret in GCP Secret Manager behind the portable
// secrets.Store, through the cloud.google.com/go/secretmanager client the
// caller configures.
//
// # Overview
//
//	client, err := secretmanager.NewClient(ctx)
//	store, err := gcpsm.New(client, "projects/my-project/secrets/powerbi")
//
// or, with Application Default Credentials, by URL:
//
//	import _ "github.com/snowpat/snowpat/secrets/gcpsm"
//	store, err := secrets.OpenStore(ctx, "gcpsm://projects/my-project/secrets/powerbi")
//
// # What maps to what
//
// A version is a secret version; its id is the version number ("1", "2",
// ...). Stages are version aliases on the secret, which any client can
// read by name (projects/p/secrets/s/versions/current):
//
//	Current     alias "current"
//	Pending     alias "pending"
//	Previous    alias "previous"
//	no stage    no alias
//
// Consumers must read "current", not "latest": latest is the most
// recently added version, which during a rotation is the pending one.
//
// GCP versions carry no metadata, and their numbers are chosen by GCP, so
// writes cannot be made idempotent by the service. The adapter keeps its
// bookkeeping in the secret's annotations, which exist for client tools'
// state and change, together with the aliases, in one UpdateSecret
// guarded by the secret's etag:
//
//	snowpat.v<N>     version N's record: creation time, metadata, and for
//	                 keyed writes a hash of the idempotency key and an HMAC
//	                 of the value keyed by the idempotency key (neither the
//	                 key nor anything that allows guessing the value is
//	                 stored: annotations are visible to metadata viewers)
//	snowpat.retired  versions retired through snowpat ("3,5-9")
//	snowpat.aborted  versions added by writes that then failed
//	snowpat.pruned   versions whose records were dropped for space
//
// Other annotations are left alone. Values are the versions' payloads,
// byte for byte, sent and checked with CRC32C checksums.
//
//	Put         AddSecretVersion, then UpdateSecret (aliases: the new
//	            version current, the old current previous; its record),
//	            with the etag of the snapshot read before: the commit.
//	            CreateSecret first when the secret does not exist (automatic
//	            replication unless WithReplication).
//	PutPending  the same, moving only "pending"
//	Promote     UpdateSecret moving the aliases, with the etag
//	Retire      UpdateSecret taking the version's aliases off and marking it
//	            retired, with the etag; then DisableSecretVersion (or
//	            DestroySecretVersion with WithDestroyRetired)
//	Destroy     the same UpdateSecret, dropping the version's idempotency
//	            marks too; then DestroySecretVersion
//	Delete      DeleteSecret (immediate: GCP keeps no deleted names)
//	Get         GetSecret, then AccessSecretVersion by number
//	List        GetSecret, ListSecretVersions
//	Stages      the three Gets by stage, concurrently (see below)
//
// Store.Stages has no one-request form here: AccessSecretVersion reads one
// version's payload and the API has no batch access. So the Store issues
// its three reads by stage at once: GetSecret for each stage, and
// AccessSecretVersion for each held one (GetSecretVersion too for a staged
// version without a record, which snowpat's writes always leave). That is
// 4 requests with only a current version, 5 with two stages held, 6 with
// all three, in two round trips of latency; Store.SupportsStagesSnapshot
// is false, as the three reads are not one snapshot.
//
// A version that has no record and no alias, and is younger than ten
// minutes, is not shown: it may belong to a write that has added its
// version but not yet committed it, and no reader may see a write half
// done. A version added by another tool therefore appears, without a
// stage, ten minutes after it was added (Promote adopts it). Aborted
// versions are never shown. The ten minutes are measured with the local
// clock against GCP's creation times, so a clock far off shifts them. One
// case escapes: a write whose AddSecretVersion fails with an unknown
// outcome (cancelled or timed out in flight) never learns its version's
// number, so if GCP did add the version, it appears without a stage once
// ten minutes old.
//
// GCP's annotations hold 16 KiB in all. When records outgrow that, those
// of the oldest versions without a stage are dropped: their metadata and
// idempotency keys are lost, the versions are not. Metadata of staged
// versions that cannot fit is refused with secrets.ErrInvalidArgument.
//
// Retired versions are disabled (reads return secrets.ErrNotFound, List
// reports Enabled false, Promote returns secrets.ErrConflict), or
// destroyed with WithDestroyRetired: their payload is deleted for good.
// Store.Destroy destroys one version whatever the option: the commit
// Retire makes, with the version's idempotency marks dropped (a write
// repeated with its key writes a new version), then
// DestroySecretVersion; a Destroy interrupted in between is finished by
// its retry. GCP lists destroyed versions, without payload, and so does
// List (disabled). On a secret with delayed destruction
// (version_destroy_ttl) GCP only disables the version and destroys it at
// the end of the delay; until then an administrator can restore it.
//
// # Compare-and-swap
//
// Supported. A write's commit is one UpdateSecret carrying the etag of
// the snapshot the write's decision was made on, and GCP refuses it
// (ABORTED, per AIP-154; FAILED_PRECONDITION from older services, handled
// alike) if anything changed the secret since. The idempotency key and
// the precondition are checked against that snapshot, so they hold at the
// instant of the commit; a lost race re-reads, checks again, and either
// commits on the new snapshot or reports secrets.ErrConflict. Preconditions
// are checked before the version is added as well, so that the usual
// refusals leave nothing behind; a write refused after adding its version
// marks the version aborted (hidden for good) and destroys it. A write whose
// commit fails with an unknown outcome finds out: if the version was
// recorded it succeeded, otherwise it is aborted, and since aborting
// changes the etag, a commit still in flight can no longer land. The undo
// runs on a context of its own (bounded to 30 seconds) when the caller's
// is done.
//
// The guarantee covers every change to the secret resource, by anyone:
// aliases, annotations, labels. It does not cover what does not touch the
// secret's etag, such as another tool adding or disabling versions:
// IfAbsent holds when no version was recorded or staged through snowpat,
// whatever versions other tools added; Promote re-checks a version's state
// at each attempt, but a version another tool disables in that instant can
// still be promoted.
//
// # Errors
//
// Errors are classified by gRPC status code. Native errors stay in the
// chain: errors.As and Store.ErrorAs reach the client's
// *apierror.APIError and, through an interface target, the status
// (var s interface{ GRPCStatus() *status.Status }). Store.As reaches
// **secretmanager.Client.
//
//	NOT_FOUND                          secrets.ErrNotFound
//	FAILED_PRECONDITION on access      secrets.ErrNotFound (disabled, destroyed)
//	ALREADY_EXISTS                     secrets.ErrAlreadyExists
//	ABORTED, FAILED_PRECONDITION       secrets.ErrConflict (after the adapter's
//	                                     own retries of a lost etag race)
//	PERMISSION_DENIED, UNAUTHENTICATED secrets.ErrPermissionDenied
//	UNAVAILABLE, RESOURCE_EXHAUSTED,   secrets.ErrUnavailable
//	  DEADLINE_EXCEEDED, CANCELLED
//	  (the server's, not the caller's)
//	INVALID_ARGUMENT, OUT_OF_RANGE     secrets.ErrInvalidArgument
//	UNIMPLEMENTED                      secrets.ErrUnsupported
//
// The client retries only AccessSecretVersion (UNAVAILABLE and
// RESOURCE_EXHAUSTED, from two seconds up); what reaches the caller has
// exhausted that.
//
// # Retries
//
// The client's default call options retry no write, and gRPC resends a
// call on its own only when the request never reached the server. So a
// write the server carried out and then failed to answer (an error
// status, a dropped connection) is never sent twice by the client; the
// adapter settles it:
//
//   - CreateSecret: the adapter loads the secret again, and finds it
//     made; creating is then not repeated.
//   - UpdateSecret, the commit: the adapter re-reads the secret and finds
//     the version recorded (the write succeeded) or not (it marks the
//     version aborted, so that the commit can no longer land).
//   - AddSecretVersion has no request id, and the version's number is
//     only in the lost answer, so the write fails with
//     secrets.ErrUnavailable. The version it added has no record: it is
//     hidden for the ten-minute in-flight window, then listed without a
//     stage; it is never current or pending and never what a replay
//     returns. A retry with the idempotency key writes and commits
//     another version, which is the one written. The adapter does not
//     guess which unrecorded version was its own by comparing values: a
//     concurrent writer of the same value could own it.
//
// A client configured to retry writes (gax.WithRetry on AddSecretVersion
// or UpdateSecret) gets the same outcomes: a resent AddSecretVersion adds
// another unrecorded version, and a resent commit is refused for its
// stale etag, after which the adapter re-reads, finds its version
// recorded (only the write that added a version records it) and does not
// commit again.
//
// Labels and annotations: GCP accepts empty label values ("Values can be
// empty", in Secret Manager's requirements for labels), but the adapter
// keeps metadata inside its records, which are JSON annotation values and
// never empty, so empty metadata values round-trip either way.
//
// # URLs
//
// Importing gcpsm registers the "gcpsm" scheme:
// "gcpsm://projects/my-project/secrets/powerbi". Query parameters:
// destroy_retired=true, emulator_host=<host:port>, which connects to an
// emulator or a test server over plaintext without credentials, the
// convention of Google's *_EMULATOR_HOST variables, and insecure=true.
// Anything else is refused. Nothing authenticates the server at
// emulator_host and nothing is encrypted, so a host that is not loopback
// (localhost, 127.0.0.0/8, ::1) is refused (secrets.ErrInvalidArgument,
// before anything is sent) unless insecure=true is given too, which logs
// a warning (on the logger secrets.WithLogger puts in the context, else
// slog.Default()) every time the store is opened.
//
// secrets.Identity gives "gcpsm://projects/<project>/secrets/<id>" (with
// the emulator_host, when one is set). A project named by its number in
// one URL and by its id in another is not recognised as one. Only global secrets are supported
// (not projects/p/locations/l/secrets/s, which need a regional endpoint).
//
// # Credentials
//
// New uses the client as the caller configured it. The URL opener calls
// secretmanager.NewClient with Application Default Credentials
// (GOOGLE_APPLICATION_CREDENTIALS, gcloud's user credentials, the metadata
// server of GCE, GKE, Cloud Run) and closes the client with the Store. The
// principal needs secretmanager.secrets.get, .create, .update and .delete,
// secretmanager.versions.add, .get, .list, .access, .disable and .destroy:
// roles/secretmanager.admin, or roles/secretmanager.secretVersionManager
// plus secretAccessor and the secrets.update permission for the aliases
// and annotations. A reader with roles/secretmanager.secretAccessor alone
// (versions.access, not secrets.get) can still Get by stage and by id: GCP
// resolves the alias, and the version comes back without metadata and
// with a zero creation time (and, read by id, without a stage). List and
// writes need the rest.
package gcpsm
