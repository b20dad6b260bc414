// Package powerbi pushes a Snowflake credential into a Power BI semantic
// model (dataset): every Snowflake data source of the model, whether its
// credentials live in the cloud or on an on-premises data gateway,
// through the Power BI REST API.
//
// # URLs
//
//	powerbi://groups/<workspace id>/datasets/<dataset id>
//
// Both ids are GUIDs (from the model's settings URL). Query parameters:
// endpoint (ParamEndpoint, for sovereign clouds or a test server; https,
// or http to a loopback host), scope (ParamScope, the token scope, for
// sovereign clouds), insecure (ParamInsecure, plain http to any host, with
// a warning) and privacyLevel (ParamPrivacyLevel: None, Public,
// Organizational, the default, or Private).
//
// # Credentials for the REST API
//
// Entra ID tokens for the scope https://analysis.windows.net/powerbi/api/.default,
// from azidentity's DefaultAzureCredential: a service principal from the
// environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or a
// certificate), workload identity, managed identity, or the Azure CLI's
// signed-in user. Programs and tests pass their own credential to
// NewOpener. Requests go through azcore's pipeline and its bearer token
// policy; azcore's retries are off, the adapter's own (on the injected
// clock) take their place, and a 401 gets a fresh token once.
//
// # What a push does
//
//  1. GET /v1.0/myorg/groups/<ws>/datasets/<ds>/datasources. Data sources
//     of datasourceType "Snowflake" take the credential; the server in
//     connectionDetails must be the account's (push.MatchAccount).
//  2. GET /v1.0/myorg/gateways/<gatewayId> for each gateway they are
//     bound to. As Microsoft's samples do, a gateway with a name is an
//     on-premises gateway, whose publicKey {exponent, modulus} is parsed
//     now, so that a key that does not parse stops the push before
//     anything is sent; a 404, or a gateway without a name, is the cloud.
//  3. The checks of package push; then every request body is built: Basic
//     credentials, {"credentialData":[{"name":"username",…},{"name":
//     "password",…}]} as a JSON string, encryptedConnection Encrypted
//     (Snowflake always uses TLS), the privacy level, and for the cloud
//     encryptionAlgorithm None; for a gateway RSA-OAEP, the credentials
//     encrypted with its key (below).
//  4. PATCH /v1.0/myorg/gateways/<gatewayId>/datasources/<datasourceId>
//     for each.
//
// 429 and 5xx answers, and lost connections of calls safe to repeat, are
// retried with backoff, honouring Retry-After.
//
// Test is POST …/datasets/<ds>/refreshes (notifyOption NoNotification),
// then GET …/refreshes?$top=10 until the refresh with the RequestId the
// start answered with is no longer Unknown: Completed is success; Failed,
// Cancelled or Disabled is push.ErrRefreshFailed with the service's
// serviceExceptionJson.
//
// # Gateway encryption
//
// The credentials string is encrypted exactly as the official .NET SDK
// (microsoft/PowerBI-CSharp, AsymmetricKeyEncryptor) does, the scheme
// Microsoft's PowerShell samples use:
//
//   - A 128-byte modulus (1024 bits): 85-byte segments, each encrypted
//     with RSA-OAEP and SHA-1 into 128 bytes, concatenated, base64.
//   - Any other modulus: a fresh 32-byte AES key and 64-byte HMAC key;
//     AES-256-CBC with PKCS#7 padding under a fresh IV; HMAC-SHA256 over
//     [0, 0] ‖ IV ‖ ciphertext; the keys, prefixed [0, 1], under RSA-OAEP
//     with SHA-256; base64(wrapped keys) ‖ base64([0, 0] ‖ tag ‖ IV ‖
//     ciphertext).
//
// Microsoft's Python sample (microsoft/PowerBI-Developer-Samples) differs
// on the 1024-bit path: SHA-256 and 60-byte segments. This package follows
// the .NET SDK; the Java sample agrees with it. The tests prove the
// encryption against the fake gateway of internal/powerbifake, which
// decrypts with the private key and its own RSA/OAEP implementation.
//
// # Permissions
//
// A service principal needs no Entra API permissions of its own, but the
// tenant setting "Service principals can use Fabric APIs" (formerly "Allow
// service principals to use Power BI APIs") must include it; a user token
// needs the delegated scopes below. Then:
//
//	call                               needs
//	Get Datasources In Group           workspace Member or Contributor (Dataset.Read.All)
//	Get Gateway                        gateway admin, for on-premises gateways
//	Update Datasource, on-premises     gateway admin (Dataset.ReadWrite.All)
//	Update Datasource, cloud           the data source's owner: take the model over
//	                                   (Datasets - Take Over In Group) as the principal
//	Refresh Dataset In Group and       workspace Contributor or higher (Dataset.ReadWrite.All)
//	Get Refresh History (Test only)
//
// A principal that is not a gateway's admin does not see the gateway
// (404), so its data source looks like a cloud one and the update is
// refused with 403: push.ErrPermissionDenied, nothing written.
//
// # As
//
// Destination.As supports *azcore.TokenCredential; Destination.ErrorAs
// reaches *APIError (status, error code, request id) and *TokenError (the
// credential could not get a token).
package powerbi
