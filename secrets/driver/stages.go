package driver

import "context"

// Stages is what a StagesReader returns: the version holding each stage,
// nil for a stage no version holds.
type Stages struct {
	Current  *Version
	Pending  *Version
	Previous *Version
}

// StagesReader is implemented by Secrets that can read the versions
// holding all three stages as one consistent snapshot, in fewer requests
// than three Gets: one request that returns them all (a Kubernetes Secret
// holds every version), one local read under a lock, or one read of a
// record that names immutable versions followed by concurrent reads of
// those versions.
//
// A driver without it still serves secrets.Store.Stages: the portable
// layer then issues the three Gets by stage concurrently, which costs three
// Gets and is not a snapshot (a promotion between them can show one version
// in two stages, or none in a stage that was held throughout). So a driver
// implements StagesReader only when its read is a snapshot, never by
// wrapping three Gets, which would claim a consistency it lacks.
type StagesReader interface {
	// ReadStages returns what Get(ctx, Selector{Stage: st}) would return
	// for StageCurrent, StagePending and StagePrevious if the three ran at
	// one instant: each field is the version that Get would return (with
	// the same VersionInfo and value), or nil where it would return a
	// CodeNotFound error. When all three would (the secret does not exist,
	// was deleted, or none of its versions holds a stage) ReadStages
	// returns a CodeNotFound error instead. Any other failure returns an
	// error and no Stages: never part of them.
	ReadStages(ctx context.Context) (*Stages, error)
}
