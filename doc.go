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
//   - [github.com/snowpat/snowpat/secrets]: one portable, versioned secret
//     store over a small driver interface, with adapters per backend.
//   - [github.com/snowpat/snowpat/policy]: the rotation policy engine.
//
// The root package holds no code of its own: it is the module's overview.
package snowpat
