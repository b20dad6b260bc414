package awssm

import (
	"slices"

	"github.com/snowpat/snowpat/secrets/driver"
)

// The staging labels of AWS's own rotation, which the console and every
// rotation-aware tool read.
const (
	labelCurrent  = "AWSCURRENT"
	labelPending  = "AWSPENDING"
	labelPrevious = "AWSPREVIOUS"
)

func labelFor(st driver.Stage) string {
	switch st {
	case driver.StageCurrent:
		return labelCurrent
	case driver.StagePending:
		return labelPending
	case driver.StagePrevious:
		return labelPrevious
	}
	return ""
}

// stageOf is the stage a version with these labels reports. A version may
// carry several labels (AWS leaves AWSPENDING on a version it promotes
// until someone removes it); the strongest wins, in the order current,
// pending, previous, so that each stage reads as held by one version.
//
// The exception is a secret's only version holding both AWSCURRENT and
// AWSPENDING. AWS attaches AWSCURRENT to the first version of every secret
// whatever the write asked for, so that is what a pending write to a new
// secret leaves behind: it reports as pending, and the secret as having no
// current version, which is what the write meant.
func stageOf(labels []string, onlyVersion bool) driver.Stage {
	cur := slices.Contains(labels, labelCurrent)
	pend := slices.Contains(labels, labelPending)
	switch {
	case cur && pend && onlyVersion:
		return driver.StagePending
	case cur:
		return driver.StageCurrent
	case pend:
		return driver.StagePending
	case slices.Contains(labels, labelPrevious):
		return driver.StagePrevious
	}
	return driver.StageNone
}
