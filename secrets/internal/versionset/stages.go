package versionset

import "github.com/snowpat/snowpat/secrets/driver"

// Holding returns the record holding stage st, or nil. It is the record
// Select picks for st, so that a store's Get and its ReadStages cannot
// disagree about which version holds a stage.
func (s *Set) Holding(st driver.Stage) *Record { return s.holding(st) }

// ReadStages is driver.StagesReader.ReadStages over the set, for a store
// that holds the set and the values in one consistent view (a lock, one
// read of one object): each held stage's version with the value that
// value returns for it. It returns a NotFound error when the secret does
// not exist or no record holds a stage, and value's first error, if any.
func (s *Set) ReadStages(value func(*Record) ([]byte, error)) (*driver.Stages, error) {
	if !s.Exists() {
		return nil, errNoSecret
	}
	var out driver.Stages
	for _, f := range []struct {
		st  driver.Stage
		dst **driver.Version
	}{{driver.StageCurrent, &out.Current}, {driver.StagePending, &out.Pending}, {driver.StagePrevious, &out.Previous}} {
		r := s.holding(f.st)
		if r == nil {
			continue
		}
		b, err := value(r)
		if err != nil {
			return nil, err
		}
		*f.dst = &driver.Version{VersionInfo: *r.Info(), Value: b}
	}
	if out == (driver.Stages{}) {
		return nil, Errorf(driver.CodeNotFound, "no version holds a stage")
	}
	return &out, nil
}
