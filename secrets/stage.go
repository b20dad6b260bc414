package secrets

import (
	"fmt"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Stage is the label a version holds: at most one per version, and each
// label on at most one version. The zero value is NoStage.
type Stage uint8

// The stages, after the AWS Secrets Manager model that every adapter maps
// onto its backend.
const (
	// NoStage marks a version without a label: an older previous version,
	// a replaced pending version, or a retired one.
	NoStage Stage = iota
	// Current marks the version readers use.
	Current
	// Pending marks a version written by a rotation and not yet promoted.
	Pending
	// Previous marks the version that was current before the current one,
	// kept for readers that cached it and for rollback.
	Previous
)

// String returns "none", "current", "pending" or "previous".
func (s Stage) String() string {
	if s > Previous {
		return fmt.Sprintf("Stage(%d)", uint8(s))
	}
	return s.driver().String()
}

// MarshalText encodes the stage as its String, so that VersionInfo encodes
// readably in JSON.
func (s Stage) MarshalText() ([]byte, error) {
	if s > Previous {
		return nil, fmt.Errorf("secrets: cannot marshal invalid stage %d", uint8(s))
	}
	return []byte(s.String()), nil
}

func (s Stage) driver() driver.Stage {
	switch s {
	case Current:
		return driver.StageCurrent
	case Pending:
		return driver.StagePending
	case Previous:
		return driver.StagePrevious
	}
	return driver.StageNone
}

func stageFromDriver(s driver.Stage) Stage {
	switch s {
	case driver.StageCurrent:
		return Current
	case driver.StagePending:
		return Pending
	case driver.StagePrevious:
		return Previous
	}
	return NoStage
}
