// Package snowpat runs the whole lifecycle of Snowflake programmatic access
// tokens (PATs) for the service users that BI tools and Go services log in
// with.
//
// # Packages
//
//   - [github.com/snowpat/snowpat/pat]: typed, injection-safe PAT operations
//     over database/sql and gosnowflake, service-user setup, login
//     verification and diagnosis.
//   - [github.com/snowpat/snowpat/pat/pattest]: an in-process Snowflake
//     emulator that the real gosnowflake driver logs into, for tests and
//     for the quickstart.
//   - [github.com/snowpat/snowpat/patconn]: a database/sql connector whose
//     every new connection logs in with the current token from a store,
//     and heals itself after a rotation.
//   - [github.com/snowpat/snowpat/secrets]: one portable, versioned secret
//     store over a small driver interface, with adapters for AWS Secrets
//     Manager, GCP Secret Manager, Azure Key Vault, HashiCorp Vault, files
//     and memory, and one conformance suite they all pass.
//   - [github.com/snowpat/snowpat/policy]: the rotation policy engine —
//     rules, a plan with reasons, a crash-safe apply and a run loop.
//
// # Where to start
//
// Run the quickstart (go run ./examples/quickstart) to see the whole job on
// the embedded emulator. Embed [github.com/snowpat/snowpat/policy.Runner]
// to rotate tokens unattended; give services a
// [github.com/snowpat/snowpat/patconn.Connector]; test with
// [github.com/snowpat/snowpat/pat/pattest.NewServer].
//
// # What gets linked
//
// No secret-store SDK is linked into a program that does not import its
// adapter: secrets, pat, policy and patconn import none (a test checks
// it with go list -deps), and each adapter brings its own. gosnowflake
// itself links parts of aws-sdk-go-v2 (S3, STS) and azure-sdk-for-go
// (azcore, Blob storage) for its stage file transfers; those come with the
// driver, not with snowpat's stores.
//
// The root package holds no code of its own: it is the module's overview.
package snowpat
