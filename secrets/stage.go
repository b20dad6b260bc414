package secrets

import (
	"fmt"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Stage is the label a version holds: at most one per version, and each
// label on at most one version. The zero value is StageNone. The names are
// driver.Stage's, so that one stage reads the same at every layer.
type Stage uint8

// The stages, after the AWS Secrets Manager model that every adapter maps
// onto its backend.
const (
	// StageNone marks a version without a label: an older previous
	// version, a replaced pending version, or a retired one.
	StageNone Stage = iota
	// StageCurrent marks the version readers use.
	StageCurrent
	// StagePending marks a version written by a rotation and not yet
	// promoted.
	StagePending
	// StagePrevious marks the version that was current before the current
	// one, kept for readers that cached it and for rollback.
	StagePrevious
)

// String returns "none", "current", "pending" or "previous".
func (s Stage) String() string {
	if s > StagePrevious {
		return fmt.Sprintf("Stage(%d)", uint8(s))
	}
	return s.driver().String()
}

// MarshalText encodes the stage as its String, so that VersionInfo encodes
// readably in JSON.
func (s Stage) MarshalText() ([]byte, error) {
	if s > StagePrevious {
		return nil, fmt.Errorf("secrets: cannot marshal invalid stage %d", uint8(s))
	}
	return []byte(s.String()), nil
}

func (s Stage) driver() driver.Stage {
	switch s {
	case StageCurrent:
		return driver.StageCurrent
	case StagePending:
		return driver.StagePending
	case StagePrevious:
		return driver.StagePrevious
	}
	return driver.StageNone
}

func stageFromDriver(s driver.Stage) Stage {
	switch s {
	case driver.StageCurrent:
		return StageCurrent
	case driver.StagePending:
		return StagePending
	case driver.StagePrevious:
		return StagePrevious
	}
	return StageNone
}
