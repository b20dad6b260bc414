package versionset

import (
	"maps"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Record is one version without its value.
type Record struct {
	ID       string
	Created  time.Time
	Stage    driver.Stage
	Enabled  bool
	Key      string // idempotency key; empty when none was given
	Metadata map[string]string
}

// Set is a secret's versions, oldest first. The zero Set is a secret that
// does not exist.
type Set struct {
	Records []Record
}

// Exists reports whether the secret has at least one version.
func (s *Set) Exists() bool { return len(s.Records) > 0 }

// Find returns the record with the given id, or a NotFound error.
func (s *Set) Find(id string) (*Record, error) {
	if !s.Exists() {
		return nil, errNoSecret
	}
	for i := range s.Records {
		if s.Records[i].ID == id {
			return &s.Records[i], nil
		}
	}
	return nil, Errorf(driver.CodeNotFound, "no version %q", id)
}

// Select returns the readable record sel picks, or a NotFound error.
// Disabled records are not readable.
func (s *Set) Select(sel driver.Selector) (*Record, error) {
	if !s.Exists() {
		return nil, errNoSecret
	}
	if sel.ID != "" {
		r, err := s.Find(sel.ID)
		if err != nil {
			return nil, err
		}
		if !r.Enabled {
			return nil, Errorf(driver.CodeNotFound, "version %q is disabled", sel.ID)
		}
		return r, nil
	}
	if r := s.holding(sel.Stage); r != nil {
		return r, nil
	}
	return nil, Errorf(driver.CodeNotFound, "no version is %s", sel.Stage)
}

func (s *Set) holding(st driver.Stage) *Record {
	for i := range s.Records {
		if s.Records[i].Stage == st {
			return &s.Records[i]
		}
	}
	return nil
}

// Replay looks for an earlier write with the same idempotency key. It
// returns the earlier version's id when key is in use with the same value
// and metadata, a Conflict error when it is in use with different ones, and
// "" otherwise. sameValue compares the earlier version's value with the
// new one; it is called only when key matches.
func (s *Set) Replay(key string, meta map[string]string, sameValue func(*Record) (bool, error)) (string, error) {
	if key == "" {
		return "", nil
	}
	for i := range s.Records {
		r := &s.Records[i]
		if r.Key != key {
			continue
		}
		same, err := sameValue(r)
		if err != nil {
			return "", err
		}
		if !same || !maps.Equal(r.Metadata, meta) {
			return "", Errorf(driver.CodeConflict, "idempotency key was used for version %q with a different value or metadata", r.ID)
		}
		return r.ID, nil
	}
	return "", nil
}

// Check returns a Conflict error unless pre holds.
func (s *Set) Check(pre driver.Precondition) error {
	if pre.Absent {
		if s.Exists() {
			return Errorf(driver.CodeConflict, "precondition failed: the secret has versions")
		}
		return nil
	}
	cur := s.holding(driver.StageCurrent)
	switch {
	case cur == nil:
		return Errorf(driver.CodeConflict, "precondition failed: want current version %q, there is none", pre.CurrentID)
	case cur.ID != pre.CurrentID:
		return Errorf(driver.CodeConflict, "precondition failed: want current version %q, it is %q", pre.CurrentID, cur.ID)
	}
	return nil
}

// Add appends r (whose Stage is ignored) as the new current version, or as
// the new pending version, and moves the other stages as driver.Secret.Put
// specifies.
func (s *Set) Add(r Record, pending bool) {
	if pending {
		s.clear(driver.StagePending)
		r.Stage = driver.StagePending
	} else {
		s.shiftCurrent()
		r.Stage = driver.StageCurrent
	}
	r.Enabled = true
	s.Records = append(s.Records, r)
}

// shiftCurrent makes the current version previous and the previous one
// stageless.
func (s *Set) shiftCurrent() {
	s.clear(driver.StagePrevious)
	if cur := s.holding(driver.StageCurrent); cur != nil {
		cur.Stage = driver.StagePrevious
	}
}

func (s *Set) clear(st driver.Stage) {
	if r := s.holding(st); r != nil {
		r.Stage = driver.StageNone
	}
}

// Promote makes id current as driver.Secret.Promote specifies and reports
// whether anything changed. When pre is not nil it is checked unless the
// promotion would change nothing.
func (s *Set) Promote(id string, pre *driver.Precondition) (bool, error) {
	r, err := s.Find(id)
	if err != nil {
		return false, err
	}
	if r.Stage == driver.StageCurrent {
		return false, nil
	}
	if pre != nil {
		if err := s.Check(*pre); err != nil {
			return false, err
		}
	}
	if !r.Enabled {
		return false, Errorf(driver.CodeConflict, "version %q is disabled", id)
	}
	r.Stage = driver.StageNone // so that shiftCurrent cannot see it as previous
	s.shiftCurrent()
	r.Stage = driver.StageCurrent
	return true, nil
}

// Retire removes id's stage and disables it as driver.Secret.Retire
// specifies, and reports whether anything changed.
func (s *Set) Retire(id string) (bool, error) {
	r, err := s.Find(id)
	if err != nil {
		return false, err
	}
	if r.Stage == driver.StageCurrent {
		return false, Errorf(driver.CodeConflict, "version %q is current; promote another version before retiring it", id)
	}
	if r.Stage == driver.StageNone && !r.Enabled {
		return false, nil
	}
	r.Stage = driver.StageNone
	r.Enabled = false
	return true, nil
}

// Remove forgets id as driver.Destroyer.Destroy specifies for backends
// that forget destroyed versions: the record goes, and with it its stage
// and idempotency key. The current version cannot be removed.
func (s *Set) Remove(id string) error {
	r, err := s.Find(id)
	if err != nil {
		return err
	}
	switch {
	case r.Stage == driver.StageCurrent:
		return Errorf(driver.CodeConflict, "version %q is current; promote another version before destroying it", id)
	case len(s.Records) == 1:
		// Forgetting the last record would make the secret cease to exist,
		// which only Delete may do.
		return Errorf(driver.CodeConflict, "version %q is the secret's only version; delete the secret instead", id)
	}
	for i := range s.Records {
		if s.Records[i].ID == id {
			s.Records = append(s.Records[:i], s.Records[i+1:]...)
			break
		}
	}
	return nil
}

// Infos returns a copy of every record as a driver.VersionInfo, oldest
// first, or a NotFound error when the secret does not exist.
func (s *Set) Infos() ([]*driver.VersionInfo, error) {
	if !s.Exists() {
		return nil, errNoSecret
	}
	out := make([]*driver.VersionInfo, len(s.Records))
	for i := range s.Records {
		out[i] = s.Records[i].Info()
	}
	return out, nil
}

// Info returns a copy of r as a driver.VersionInfo.
func (r *Record) Info() *driver.VersionInfo {
	return &driver.VersionInfo{
		ID:       r.ID,
		Stage:    r.Stage,
		Created:  r.Created,
		Enabled:  r.Enabled,
		Metadata: maps.Clone(r.Metadata),
	}
}
