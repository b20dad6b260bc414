// Package driver defines the small interface that a secret backend
// implements so that package secrets can offer one portable, versioned
// Store over it.
//
// # Overview
//
// Application code never uses this package: it uses [secrets.Store], which
// validates every argument before a driver sees it, maps driver errors onto
// portable codes and redacts secret values. A driver therefore implements
// only the backend-specific part, and may assume its inputs are valid:
// values are 1 to 16384 bytes (secrets.MaxValueSize), metadata keys and values follow the portable
// rules, version ids are non-empty, selectors and preconditions name exactly
// one thing. The conformance suite in package storetest checks every rule
// below; an adapter runs it in three lines.
//
// One driver value addresses exactly one secret (as one URL names one
// secret): the secret's name, region, vault and credentials are bound when
// the driver is constructed, not passed per call.
//
// # Stages
//
// A secret is a list of immutable versions. Each version holds at most one
// stage label, and each stage label is held by at most one version:
//
//   - [StageCurrent]: what readers use.
//   - [StagePending]: written by a rotation and not yet in use.
//   - [StagePrevious]: the version that was current before the last change
//     of current, kept so that readers that cached it, and rollbacks, work.
//   - [StageNone]: any other version, including retired ones.
//
// This is the AWS Secrets Manager model (AWSCURRENT, AWSPENDING,
// AWSPREVIOUS). Backends without native labels (GCP Secret Manager, Azure
// Key Vault, Vault KV v2) keep the labels in their own metadata: GCP
// version aliases, Azure tags, Vault custom metadata. A backend that lets a
// version carry several labels (AWS can, after a failed rotation) reports
// the strongest one, in the order current, pending, previous.
//
// Metadata belongs to a version. Azure Key Vault has per-version tags;
// AWS, GCP and Vault KV v2 keep labels per secret, so their adapters must
// store a version's metadata with the version itself, for example in an
// envelope around the value (which spends part of the backend's size
// limit).
//
// # Compare-and-swap
//
// [CompareAndSwapper] is optional, in the manner of database/sql/driver's
// optional interfaces: a driver implements it only when its backend can
// check the precondition and apply the write in one atomic step (Vault KV
// v2's cas parameter, a local lock). Emulating it with a read followed by a
// write would reintroduce the lost update it exists to prevent, so a driver
// that cannot make it atomic must not implement it; secrets.Store then
// returns secrets.ErrUnsupported.
//
// # Reading every stage
//
// [StagesReader] is optional in the same way. A rotation engine reads all
// three stages of every store on every pass; a driver whose backend can
// serve them as one snapshot, in fewer requests than three Gets (one
// request, a local read, a record of stages plus the versions it names),
// implements it. Without it secrets.Store.Stages issues the three Gets
// concurrently: one round trip of latency, three requests' cost, and no
// snapshot. A wrapper around a driver must offer StagesReader exactly when
// the driver it wraps does: hiding it costs requests, claiming it for a
// driver without it claims a snapshot that is not one.
//
// # Errors
//
// A driver returns its native errors unchanged and classifies them through
// [Secret.ErrorCode]; the portable layer wraps them so that callers can both
// test the code with errors.Is and reach the native type with errors.As or
// secrets.Store.ErrorAs. Context errors are the exception: when ctx is done
// a driver returns ctx.Err() or an error that wraps it, so that
// errors.Is(err, context.Canceled) holds; the portable layer never maps them
// to a code. No error text may contain a secret value or any encoding of
// one (hex, base64): SDK errors that echo request bodies must be replaced.
//
// # URLs
//
// A driver package registers an opener for its URL scheme with
// secrets.Register from an init function, so that a blank import makes
// secrets.OpenStore understand the scheme.
package driver
