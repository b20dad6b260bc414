// Package versionset is the stage state machine that memstore and
// filestore share.
//
// # Overview
//
// A Set is a secret's version records, oldest first, and its methods are
// the rules of driver.Secret for moving stages, checking preconditions and
// replaying idempotent writes. It holds no values and does no I/O, so each
// store decides how to keep values and how to make a change durable; it
// is not safe for concurrent use, since each store already serialises
// changes (a mutex, a file lock).
//
// # Stages
//
// Add, Promote and Retire are the only changes. Each leaves every stage
// on at most one record and reports whether anything changed, so that a
// store can skip rewriting state for a no-op.
package versionset
