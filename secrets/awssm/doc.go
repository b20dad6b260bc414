// Package awssm keeps a secret in AWS Secrets Manager behind the portable
// secrets.Store, through the aws-sdk-go-v2 client the caller configures.
//
// # Overview
//
//	client := secretsmanager.NewFromConfig(cfg)
//	store, err := awssm.New(client, "team/powerbi")
//
// or, with the SDK's default credential chain, by URL:
//
//	import _ "github.com/snowpat/snowpat/secrets/awssm"
//	store, err := secrets.OpenStore(ctx, "awssm://team/powerbi?region=eu-west-1")
//
// # What maps to what
//
// A version is a Secrets Manager version; its id is the VersionId, which
// is the ClientRequestToken of the write that made it. Stages are the
// staging labels of AWS's own rotation, so that the console, the CLI and
// rotation-aware tools read the secret as AWS would have left it:
//
//	Current         AWSCURRENT
//	Pending         AWSPENDING
//	Previous        AWSPREVIOUS
//	no stage        no label (AWS calls the version deprecated)
//
//	Put             PutSecretValue, VersionStages [AWSCURRENT]; CreateSecret
//	                with the value when the secret does not exist. AWS moves
//	                AWSPREVIOUS to the old current version in the same call.
//	PutPending      PutSecretValue, VersionStages [AWSPENDING]. AWS takes the
//	                label off the old pending version in the same call (a label
//	                is on one version at a time), so no second call is needed.
//	Promote         UpdateSecretVersionStage AWSCURRENT, MoveToVersionId the
//	                version, RemoveFromVersionId the current one (AWS moves
//	                AWSPREVIOUS), then UpdateSecretVersionStage AWSPENDING,
//	                RemoveFromVersionId the version. Until the second call
//	                lands the version carries both labels and reads as current;
//	                a retried Promote removes a leftover AWSPENDING.
//	Retire          UpdateSecretVersionStage removing AWSPENDING or AWSPREVIOUS
//	Delete          DeleteSecret, with AWS's recovery window unless
//	                WithForceDelete; the metadata companion (below) too
//	Get             GetSecretValue by VersionId or VersionStage
//	List            DescribeSecret, ListSecretVersionIds with IncludeDeprecated
//	Stages          the three Gets by stage, concurrently (see below)
//
// Store.Stages has no one-request form here: GetSecretValue reads one
// version, and BatchGetSecretValue reads the AWSCURRENT version of up to
// 20 secrets, with no way to ask for a label. So the Store issues its
// three reads by stage at once: for each held stage GetSecretValue and the
// metadata companion's GetSecretValue (plus ListSecretVersionIds while a
// version carries both AWSCURRENT and AWSPENDING), for each absent stage
// the one GetSecretValue that finds no label. That is 4 requests with only
// a current version, 5 with current and previous, 6 with all three, in two
// round trips of latency; Store.SupportsStagesSnapshot is false, as the
// three reads are not one snapshot.
//
// AWS cannot disable a version: a retired version loses its labels, stays
// readable by id (Enabled is always true) and can be promoted again, until
// AWS purges it as deprecated (when the secret has more than 100 versions
// and the version is more than a day old).
//
// A version with several labels reports the strongest, in the order
// current, pending, previous. One case is special: AWS attaches AWSCURRENT
// to the first version of every secret, whatever the write asked for, so
// a PutPending that creates a secret leaves its version with AWSCURRENT
// and AWSPENDING. Such a version, if it is the secret's only one, reports
// as pending, and the secret as having no current version, as the portable
// contract says; but other readers of AWSCURRENT already see it, it cannot
// be retired (AWSCURRENT can be moved, never removed: Retire returns
// secrets.ErrConflict), and a second PutPending before the first Promote
// leaves it current.
//
// Values are stored byte for byte: valid UTF-8 in SecretString, anything
// else in SecretBinary. A PAT in the SnowflakePat JSON format is therefore
// the secret's plain JSON value, as other tools expect to find it.
//
// Metadata cannot go in the value without breaking that, and AWS versions
// have no metadata of their own. Secret tags cannot hold it either: 50
// per secret, values of 256 characters from a restricted set, and shared
// by all versions. So each version's metadata is kept in a companion
// secret named after the secret, "<name>.snowpat-metadata": one JSON
// document, keyed by version id, updated with compare-and-swap (the new
// document is written under a snowpat-staged label and AWSCURRENT is
// moved onto it with RemoveFromVersionId naming the version read, which
// AWS refuses if another writer got there first). A write records the
// metadata first and then writes the version, so no reader finds a
// version without its metadata. The companion costs a second secret, needs
// the same IAM permissions as the secret, and is deleted with it (restore
// both, should you restore one). Its 64 KiB are pruned when they run
// short: entries of versions that never appeared (a write that failed in
// between) after an hour, then the metadata of the oldest unlabelled
// versions; metadata of labelled versions that cannot fit is refused with
// secrets.ErrInvalidArgument. A secret written by other tools, without a
// companion, reads as plain values without metadata.
//
// Idempotency: with a key, the ClientRequestToken is derived from the key
// alone (a SHA-256 hash shaped as a UUID, since AWS wants 32 to 64
// characters and keys may be shorter); without one it is a random UUID.
// AWS then settles retries itself: the same token with the same value
// changes nothing, labels included, and returns the same version; with
// another value it fails (ResourceExistsException, reported as
// secrets.ErrConflict). Metadata is compared with the companion's entry.
//
// CreatedDate has millisecond precision; versions created within the same
// millisecond are listed in the order the companion recorded them.
//
// # Compare-and-swap
//
// Not supported: SupportsCompareAndSwap is false and PutIf, PutPendingIf
// and PromoteIf return secrets.ErrUnsupported. PutSecretValue has no
// precondition, and a version once written cannot be removed, so a
// guarded write would have to write its version first and move labels
// after, leaving a stray version behind on every lost race: not the
// "changes nothing" the contract requires. (Promotion alone could be
// guarded, by RemoveFromVersionId, but the capability is all or nothing.)
//
// What is guaranteed: every Put and PutPending is one atomic AWS write
// together with its label moves; every Promote is one atomic label move
// that AWS checks against the current version the driver read, so two
// concurrent promotions never clobber each other's AWSPREVIOUS (the loser
// re-reads and decides again); concurrent writers all get their versions
// recorded and the last write wins AWSCURRENT; a retried write with its
// idempotency key never writes twice.
//
// # Errors
//
// Native errors stay in the chain: errors.As and Store.ErrorAs reach the
// SDK's types (*types.ResourceNotFoundException, *types.ResourceExistsException,
// *types.InvalidRequestException, *types.InvalidParameterException,
// *types.InternalServiceError, *types.DecryptionFailure, ...),
// smithy.APIError for the errors AWS shares across services
// (AccessDeniedException, ThrottlingException), and
// *smithyhttp.ResponseError. Store.As reaches **secretsmanager.Client.
//
//	ResourceNotFoundException           secrets.ErrNotFound
//	InvalidRequestException, secret     secrets.ErrNotFound (reads),
//	  scheduled for deletion              secrets.ErrAlreadyExists (writes)
//	ResourceExistsException             secrets.ErrConflict from a write
//	                                      (token reused with another value)
//	InvalidRequestException (other),    secrets.ErrConflict
//	  PreconditionNotMetException, a
//	  label move refused with no
//	  concurrent change to explain it
//	InvalidParameterException,          secrets.ErrInvalidArgument
//	  ValidationException
//	AccessDeniedException, expired or   secrets.ErrPermissionDenied
//	  invalid credentials, KMS
//	  Decryption/EncryptionFailure
//	throttling, LimitExceededException, secrets.ErrUnavailable
//	  InternalServiceError, HTTP 5xx,
//	  connection failures
//
// What reaches the caller has exhausted the SDK's retryer (below). A
// response that fails to decode is replaced by a plain error, since its
// snapshot could hold a secret value.
//
// # Retries
//
// The SDK's standard retryer (3 attempts, jittered backoff from 50
// milliseconds, unless the client says otherwise) resends every request
// answered with throttling, a 5xx or a broken connection, writes
// included, and the request may have been carried out before it failed.
// Every write the adapter sends is safe to repeat:
//
//   - PutSecretValue and CreateSecret carry a ClientRequestToken that the
//     adapter sets itself, once per write, so that every attempt carries
//     the same one (the SDK fills a missing token before its retry loop,
//     but the adapter does not rely on that). AWS makes a repeated token
//     with the same value a no-op that moves no label and returns the
//     same version. A CreateSecret resent after it made the secret is
//     refused as an existing name, and the adapter then writes the
//     version with PutSecretValue, under the same token: again a no-op.
//   - UpdateSecretVersionStage always names the version the label must
//     leave (RemoveFromVersionId). Resent after it moved the label, it is
//     refused; the adapter reads the labels again and finds the move
//     done.
//   - The metadata companion is updated the same way: its swap of
//     AWSCURRENT, resent, is refused, and the re-read document already
//     holds the entry.
//
// So a write answered with an error after AWS applied it leaves one
// version, with the stage asked for; if the retryer gives up, the error
// reaches the caller, and a retry with the same idempotency key returns
// that version. Without a key a write's token is random but fixed for the
// write, so the SDK's resends never add a version either. The tests run
// the default retryer against a fake that applies a write and then
// answers 5xx or drops the connection.
//
// Tags: Secrets Manager accepts empty tag values (the API reference's Tag
// type: Value 0 to 256 characters), but the adapter keeps metadata in its
// companion, not in tags, so empty metadata values round-trip either
// way.
//
// # URLs
//
// Importing awssm registers the "awssm" scheme. "awssm://team/powerbi"
// names the secret "team/powerbi" (host and path together);
// "awssm:///name" carries names a URL host cannot, such as ones with '@',
// with percent-escapes decoded. Query parameters: region, endpoint (a
// base URL, for LocalStack-style servers and tests), insecure=true (see
// below), profile (a shared config profile), recovery_window_days (7 to
// 30) and force_delete=true. Anything else is refused. Names must be
// names, not ARNs: the companion is found by name.
//
// An endpoint, from the URL or the environment (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_SECRETS_MANAGER), must be an http or https URL. A
// plain http one would carry every value written and read, the request
// signatures and a session token unencrypted, so it is refused
// (secrets.ErrInvalidArgument, before anything is sent) unless its host
// is loopback (localhost, 127.0.0.0/8, ::1) or the URL says
// insecure=true, which logs a warning (on the logger secrets.WithLogger
// puts in the context, else slog.Default()) every time the store is
// opened. An https endpoint is allowed anywhere: whoever can write store
// URLs can send secrets where they like, so treat that file as a
// credential.
//
// secrets.Identity gives "awssm://<region>/<name>" (with the endpoint,
// when one is set): a URL's region, or the configuration's, and the name;
// the profile is left out, as the account it selects cannot be known
// offline, so two URLs that differ only in profile count as one secret.
//
// # Destroying a version
//
// Secrets Manager cannot erase one version of a secret, so Store.Destroy
// returns secrets.ErrUnsupported and changes nothing. Retire takes a
// version's labels off; AWS then calls it deprecated, but it stays
// readable by its VersionId to anyone allowed GetSecretValue on the
// secret, and Promote can bring it back. AWS removes deprecated versions
// only when the secret has more than 100 versions, and never one younger
// than 24 hours, so on a secret rotated every few weeks a retired version
// can stay readable for years. For a leaked value:
//
//   - revoke it where it is valid (for a PAT, in Snowflake): that is what
//     ends the leak; the stored copy is then a dead credential;
//   - to erase the copies too, delete the secret with force_delete=true
//     (DeleteSecret with ForceDeleteWithoutRecovery), which removes every
//     version at once, and write the current value again: readers see the
//     secret missing in between, and the version history is lost. With a
//     recovery window instead, the versions stay recoverable, and so
//     readable, until it ends;
//   - the companion secret "<name>.snowpat-metadata" holds no values.
//
// # Credentials
//
// New uses the client as the caller configured it. The URL opener uses
// config.LoadDefaultConfig: environment variables, shared config and
// credentials files (profile), SSO, web identity, ECS and EC2 instance
// roles; AWS_CA_BUNDLE is honoured. The opener's client has an HTTP
// transport of its own, closed with the Store. The credentials need
// secretsmanager:GetSecretValue, PutSecretValue, CreateSecret,
// DescribeSecret, ListSecretVersionIds, UpdateSecretVersionStage and
// DeleteSecret on both the secret and its companion (a resource pattern
// "arn:aws:secretsmanager:*:*:secret:team/powerbi*" covers both), and
// kms:Decrypt and kms:GenerateDataKey on a customer-managed key if one
// encrypts them. A reader needs only GetSecretValue on the secret: without
// access to the companion it reads values without metadata, and without
// ListSecretVersionIds it sees a first version carrying AWSCURRENT and
// AWSPENDING as AWS does, as current.
package awssm
