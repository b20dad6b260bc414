// Package powerbifake is an in-process Power BI REST API for tests: the
// push/powerbi adapter's real client, azcore's pipeline with its bearer
// token policy, talks to it over TLS on loopback.
//
// # Overview
//
// New starts a Server. Tests add workspaces, gateways (on-premises, each
// with its own RSA key pair of 1024 or 2048 bits, or the tenant's cloud
// "gateway" that holds cloud connections) and semantic models (datasets)
// whose data sources are bound to them. Credential returns an
// azcore.TokenCredential, standing in for Entra ID, that issues tokens
// for a named principal; the server accepts only tokens it issued, for the
// Power BI scope, unexpired. Each gateway data source keeps the user name
// and password it was last sent: an on-premises gateway decrypts them
// with its private key, with its own implementation of the scheme the
// official .NET SDK encrypts with (decrypt.go), so a test that pushes
// through the adapter proves the adapter's encryption against an
// independent decryption. Refresh logs in to Snowflake with what each
// Snowflake data source holds, through the LoginFunc the test provides.
//
// The fake is written from the Power BI REST reference (Datasets - Get
// Datasources In Group, Gateways - Get Gateway, Gateways - Update
// Datasource, Datasets - Refresh Dataset In Group, Datasets - Get Refresh
// History In Group), "Configure credentials programmatically for Power
// BI", and Microsoft's samples, not from the adapter.
//
// # What it reproduces
//
//   - Bearer tokens: a missing, unknown or expired token, or one issued
//     for another scope, is 401 (TokenExpired / InvalidToken).
//   - Permissions: reading a model's data sources and refreshing it need
//     workspace membership; updating an on-premises gateway's data source
//     needs gateway admin rights; updating a cloud data source needs the
//     model's ownership (cloud connections are managed per user). A
//     refusal is 403 PowerBINotAuthorizedException; an on-premises
//     gateway the principal does not administer is 404 on Get Gateway.
//   - Get Gateway of a cloud connection's gateway id answers as Microsoft's
//     samples expect one of two ways (SetCloudGatewayAnswer): 404, or a
//     gateway without a name. Either way a name is what marks an
//     on-premises gateway.
//   - Update Datasource: credentialType Basic, credentials the JSON
//     string {"credentialData":[{"name":"username",…},{"name":"password",
//     …}]}; encryptionAlgorithm RSA-OAEP and encrypted credentials for an
//     on-premises gateway (unencrypted ones are refused, 400), None and
//     plain credentials for a cloud source; encryptedConnection and
//     privacyLevel from their documented sets.
//   - Refresh: POST answers 202 with a RequestId header; the history
//     reports the refresh as Unknown (in progress) for SetRefreshPolls
//     reads, then Completed or Failed with serviceExceptionJson.
//   - Errors as {"error":{"code":…,"message":…}}; 429 with Retry-After.
//
// # Assumptions
//
// Where the reference does not say, the fake takes the conservative
// choice: the error codes for refusals are PowerBINotAuthorizedException
// (403), ItemNotFound (404) and InvalidRequest (400); a gateway's public
// key exponent and modulus are big-endian, base64, as .NET's
// RSAParameters are; updating credentials does not test them against the
// data source unless SetTestOnUpdate says so (the service may; a test that
// relies on either behaviour sets it).
//
// # Faults
//
// FailNext, DropNext, FailAfterNext, Hold and Calls work per operation as
// in the other fakes.
package powerbifake
