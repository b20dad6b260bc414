// Package azkv keeps a secret in Azure Key Vault, through the azsecrets
// client.
//
// # Overview
//
// New(client, name, opts) returns a secrets.Store over the Key Vault
// secret called name; the client (its vault URL, credential, retries)
// belongs to the caller. Each portable version is one Key Vault version,
// and its id is the Key Vault version id (32 hex digits). Values are
// stored as the secret's text when they are text (so that Power BI, Data
// Factory and App Service Key Vault references read the value itself) and
// as base64 otherwise.
//
// Metadata entries become the version's tags, one for one (the portable
// limits, 15 entries of 256 bytes, are Key Vault's). An entry with an
// empty value is refused with secrets.ErrInvalidArgument before anything
// is sent: no Microsoft document says whether a Key Vault tag may be
// empty (the REST reference types tags as a map of strings, with no
// minimum), and users report secret writes failing on one
// (hashicorp/terraform-provider-azurerm#7609), so the adapter does not
// find out in production. Two keys also set
// attributes: "expires_at" (RFC 3339) sets the version's exp attribute,
// which Key Vault shows and reports on but does not enforce, and
// "content_type" sets its content type (Options.ContentType is the
// default; otherwise text/plain, or application/octet-stream for binary
// values). Put a PAT's expiry in expires_at and the portal shows when the
// current version expires.
//
// # Stages
//
// Key Vault has no labels, and every reader that knows nothing of stages
// (Power BI, Data Factory, App Service references, az keyvault secret
// show) reads the latest version: GET /secrets/{name}/ without a version.
// That version is the newest one written, whatever its state; if it is
// disabled, those readers get 403 Forbidden (SecretDisabled) rather than
// an older version, and nbf is not enforced on reads. So neither writing a
// pending version disabled nor with a future nbf hides it: the first
// breaks every reader during the rotation, the second changes nothing.
// The mapping therefore keeps the current value on the latest version:
//
//	portable            Key Vault
//	--------            ---------
//	stage table         parameters of the latest version's content type:
//	                    sp-cur, sp-pend, sp-prev name version ids
//	                    ("." for the version itself); the 15 tags are all
//	                    the caller's
//	Put                 one new version, carrying the new table
//	PutPending          the pending version, carrying the new table, then
//	                    a copy of the current value on top (sp-of names
//	                    the version it copies)
//	Promote(id)         a copy of id's value on top, carrying the table
//	Retire(id)          the latest version's table rewritten without id
//	                    (PATCH of its content type), then id and its copies
//	                    disabled
//	Delete              soft delete of the secret
//	current             the latest version (or the version it copies)
//	pending, previous   named by the latest version's table
//	retired             disabled (reading it is 403 SecretDisabled)
//	version id          Key Vault version id of the original, not a copy
//
// Every change of stages is one request, so no reader ever sees half of
// one. Copies are an implementation detail: List does not report them,
// they carry the original's value, tags, expiry and content type, and
// Retire disables them with their original. Between PutPending's two
// requests (or after them, if the second fails) readers of the latest
// version see the pending value; the next Promote or Retire puts the
// current value back on top. A rotation writes three Key Vault versions
// (pending, copy, promotion), and List reads every page of them.
//
// Store.Stages has no one-request form here: GetSecret reads one version
// and Key Vault has no batch read. So the Store issues its three reads by
// stage at once, each a GetSecret of the latest version (the stage table)
// and, for a held stage whose version is not the latest, a GetSecret of
// that version: 3 to 6 requests (3 with only a current version, 6 with
// all three stages held, when the latest is a copy of the current one),
// in two round trips of latency; Store.SupportsStagesSnapshot is false,
// as the three reads are not one snapshot.
//
// A version written outside snowpat (the portal, the CLI) carries no
// table: it is current, as it is for every other reader, and the stages
// it replaced are gone. A latest version disabled by hand leaves the
// secret without stages until the next Put.
//
// # Compare-and-swap
//
// Not supported: Key Vault has no conditional write (no ETag or version
// precondition on PUT or PATCH), so no emulation can check a precondition
// and write in one step, and the Store's PutIf, PutPendingIf and
// PromoteIf return secrets.ErrUnsupported.
//
// What is guaranteed: each change is one request, so the stage table is
// always whole; concurrent writers never leave two current versions. What
// is not: a stage change computed from a table another writer replaced in
// the meantime wins or loses as a whole (the last request wins), so of two
// concurrent rotations one may lose its stages, though not its versions;
// a Retire racing with a write to the latest version may lose its stage
// change, leaving the retired version staged but unreadable. An
// idempotency key is looked up before writing, so two concurrent retries
// of one write may both write. Serialise rotations of one secret (a
// single rotator, or an external lock) if they can overlap.
//
// # Retries
//
// azcore's retry policy (by default 3 retries, from 800 milliseconds,
// jittered) resends every request answered 408, 429, 500, 502, 503 or
// 504, or whose connection failed, although the vault may have carried it
// out. GET and PATCH repeat harmlessly; SetSecret does not, since every
// PUT makes a new version: a write carried out and then answered with an
// error would leave two versions with the same value, tied on the
// one-second creation time and on the writer's clock, so that which one a
// keyed retry, or the stage table, named would fall to the random version
// ids. So SetSecret is sent with the client's retries off
// (policy.WithRetryOptions on the call's context, which also sets aside
// the client's own retry settings for that call) and the adapter retries
// it itself, as azcore would by default: the same statuses, four
// attempts, the same delays or the vault's Retry-After. Every attempt
// carries the write's random id and its attempt number in the content
// type (sp-w, sp-n), and before each resend the adapter lists the
// versions: if an earlier attempt made one, that is the version written,
// and nothing is resent. A Put therefore returns the version that holds
// its stage, no stageless twin is left, and a retry with the idempotency
// key returns the same id; without a key, a write still makes at most
// one version. If the listing fails, the write's error is returned
// rather than risk a second version: retry with the idempotency key.
//
// One case remains: a request the vault carries out after the adapter's
// listing showed nothing (the connection was gone but the vault went on)
// and after a later attempt succeeded. Its version is then a second one
// of the write, newer, and, if nothing was written since, the latest,
// whose stage table names itself. Replay and List order such twins by
// attempt, never by id, so the outcome is the same every time; a later
// Promote or Put repairs the stages.
//
// # Errors
//
// Store.ErrorAs (and errors.As) reach *azcore.ResponseError whenever an
// error answer from the vault is the cause: every vault error the
// adapter passes on, the secrets.ErrNotFound of reading a stage when the
// latest version is disabled (403, inner code SecretDisabled, which hides
// every stage) and the secrets.ErrConflict of promoting a disabled
// version (the same 403). Errors the adapter decides from successful
// answers (no version holds the stage, retiring the current one, a reused
// idempotency key, an empty tag value) carry none.
// *azidentity.AuthenticationFailedError is reached for a credential that
// could not get a token. The mapping:
//
//	404, and 403 with inner code SecretDisabled     secrets.ErrNotFound
//	403 (access policy, RBAC, firewall), 401        secrets.ErrPermissionDenied
//	409 (name held by a soft-deleted secret)        secrets.ErrAlreadyExists
//	400, 413                                        secrets.ErrInvalidArgument
//	408, 429, 500, 502, 503, 504, no response       secrets.ErrUnavailable
//
// Promoting a disabled version is secrets.ErrConflict, as is retiring the
// current one. Delete is a soft delete: the name stays reserved until the
// vault's retention period (7 to 90 days) ends or the deleted secret is
// purged (secrets/purge permission) or recovered, and Put fails with
// secrets.ErrAlreadyExists meanwhile. Store.As reaches the
// *azsecrets.Client, for purge, recovery and backup.
//
// # URLs
//
// Importing azkv registers the "azkv" scheme:
//
//	azkv://<vault-name>/<secret-name>
//
// opens the secret in https://<vault-name>.vault.azure.net. Query
// parameters: vault_url replaces that URL (a sovereign cloud such as
// https://<vault-name>.vault.azure.cn, or a test server; https only), and
// content_type sets Options.ContentType. Anything else is refused. No
// switch allows plain http: azcore sends no token over it.
//
// secrets.Identity gives "azkv://<vault host>/<secret name>" in
// lowercase, as Key Vault compares identifiers without case: the vault is
// vault_url's host when it is given, whatever the URL's vault name says.
//
// # Destroying a version
//
// Key Vault cannot erase one version of a secret, so Store.Destroy
// returns secrets.ErrUnsupported and changes nothing. Retire disables the
// version (and its copies): reads of it are refused (403 SecretDisabled),
// but its value stays in the vault, and anyone allowed to update the
// secret's versions (secrets/set) can enable it again and read it. It is
// erased only with the whole secret: a delete, which with soft delete
// (the default, and mandatory on new vaults) keeps everything recoverable
// for the vault's retention period (7 to 90 days), then a purge, which
// purge protection forbids until that period ends. For a leaked value:
//
//   - revoke it where it is valid (for a PAT, in Snowflake): that is what
//     ends the leak; the stored copy is then a dead credential;
//   - to erase the copies too, delete the secret, purge it (the
//     secrets/purge permission; Store.As reaches the *azsecrets.Client
//     for PurgeDeletedSecret), and write the current value again: the
//     name is reserved until the purge, readers see the secret missing in
//     between, and the version history is lost.
//
// # Credentials
//
// New uses the client as configured. A URL uses
// azidentity.NewDefaultAzureCredential: environment variables
// (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or a
// certificate), workload identity, managed identity, then the Azure CLI
// and Azure Developer CLI logins. The identity needs secrets get, list
// and set (Key Vault Secrets Officer under RBAC), and delete for Delete.
package azkv
