package driver

import "time"

// Stage is the label a version holds. The zero value is StageNone.
type Stage uint8

// The stages. Their numeric values are part of no contract; compare them by
// name.
const (
	// StageNone marks a version without a label: an old previous version,
	// a replaced pending version, or a retired one.
	StageNone Stage = iota
	// StageCurrent marks the version readers use.
	StageCurrent
	// StagePending marks a version written but not yet promoted.
	StagePending
	// StagePrevious marks the version that was current before the current
	// one.
	StagePrevious
)

// String returns "none", "current", "pending" or "previous".
func (s Stage) String() string {
	switch s {
	case StageNone:
		return "none"
	case StageCurrent:
		return "current"
	case StagePending:
		return "pending"
	case StagePrevious:
		return "previous"
	}
	return "invalid"
}

// VersionInfo describes one version without its value.
type VersionInfo struct {
	// ID is the backend's identifier for the version: opaque, non-empty,
	// unique within the secret and never reused while the secret exists.
	ID string
	// Stage is the label the version holds.
	Stage Stage
	// Created is when the backend recorded the version, in the backend's
	// clock.
	Created time.Time
	// Enabled is false once the version has been retired on a backend that
	// can disable versions; such a version can no longer be read.
	Enabled bool
	// Metadata is the version's metadata as written; nil or empty when
	// none was given. The driver returns a map the caller may keep.
	Metadata map[string]string
}

// Version is one version with its value.
type Version struct {
	VersionInfo
	// Value is the secret value. The driver returns a slice the caller may
	// keep and modify.
	Value []byte
}

// Selector picks one version: exactly one of ID and Stage is set, and
// Stage, when set, is not StageNone.
type Selector struct {
	ID    string
	Stage Stage
}

// PutRequest describes a version to write.
type PutRequest struct {
	// Value is the secret value, 1 to 16384 bytes (secrets.MaxValueSize). The driver must not keep
	// the slice after it returns.
	Value []byte
	// Metadata is stored with the version, or nil. The driver must not keep
	// the map after it returns.
	Metadata map[string]string
	// IdempotencyKey, when not empty, makes the write retry-safe: see
	// Secret.Put.
	IdempotencyKey string
	// Pending writes the version as StagePending instead of StageCurrent.
	Pending bool
}

// Precondition is what CompareAndSwapper checks, atomically with the write,
// before writing. Exactly one of its fields is set.
type Precondition struct {
	// CurrentID requires that the version holding StageCurrent has this id.
	CurrentID string
	// Absent requires that the secret has no version at all.
	Absent bool
}
