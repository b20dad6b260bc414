package awsfake

import (
	"bytes"
	"slices"
	"time"
)

// The labels Secrets Manager itself moves.
const (
	labelCurrent  = "AWSCURRENT"
	labelPrevious = "AWSPREVIOUS"
)

// Deprecated versions are purged once a secret has more than maxVersions
// versions, but never within keepFor of their creation: the rule the
// PutSecretValue reference states.
const (
	maxVersions = 100
	keepFor     = 24 * time.Hour
)

type version struct {
	id      string
	str     *string // SecretString, or nil
	bin     []byte  // SecretBinary, or nil
	labels  []string
	created time.Time
}

func (v *version) has(label string) bool { return slices.Contains(v.labels, label) }

// sameValue reports whether a write of (str, bin) repeats this version's
// value, which is what makes a reused ClientRequestToken a no-op.
func (v *version) sameValue(str *string, bin []byte) bool {
	if (v.str == nil) != (str == nil) || (v.bin == nil) != (bin == nil) {
		return false
	}
	if str != nil {
		return *v.str == *str
	}
	return bytes.Equal(v.bin, bin)
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type secret struct {
	name        string
	arn         string
	description string
	tags        []tag
	created     time.Time
	changed     time.Time
	deleteAt    *time.Time // set while scheduled for deletion
	versions    []*version // oldest first
}

func (s *secret) find(id string) *version {
	for _, v := range s.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

func (s *secret) holder(label string) *version {
	for _, v := range s.versions {
		if v.has(label) {
			return v
		}
	}
	return nil
}

// attach puts label on v, taking it from whichever version held it. Moving
// AWSCURRENT away from a version makes that version AWSPREVIOUS, taking
// AWSPREVIOUS from wherever it was.
func (s *secret) attach(v *version, label string) {
	old := s.holder(label)
	if old == v {
		return
	}
	if old != nil {
		old.labels = slices.DeleteFunc(old.labels, func(l string) bool { return l == label })
	}
	v.labels = append(v.labels, label)
	if label == labelCurrent && old != nil {
		s.attach(old, labelPrevious)
	}
}

func (s *secret) detach(v *version, label string) {
	v.labels = slices.DeleteFunc(v.labels, func(l string) bool { return l == label })
}

// purge drops the oldest deprecated versions beyond maxVersions that are
// older than keepFor.
func (s *secret) purge(now time.Time) {
	for len(s.versions) > maxVersions {
		i := slices.IndexFunc(s.versions, func(v *version) bool {
			return len(v.labels) == 0 && now.Sub(v.created) >= keepFor
		})
		if i < 0 {
			return
		}
		s.versions = slices.Delete(s.versions, i, i+1)
	}
}

// stagesMap is DescribeSecret's VersionIdsToStages: labelled versions only.
func (s *secret) stagesMap() map[string][]string {
	m := map[string][]string{}
	for _, v := range s.versions {
		if len(v.labels) > 0 {
			m[v.id] = slices.Clone(v.labels)
		}
	}
	return m
}
