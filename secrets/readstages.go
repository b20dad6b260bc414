package secrets

import (
	"context"
	"errors"
	"sync"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Stages is the version holding each stage of a secret, as Store.Stages
// reads them: nil for a stage no version holds. Its versions redact their
// values wherever they are printed, encoded or logged, as every Version
// does.
type Stages struct {
	Current  *Version `json:"current"`
	Pending  *Version `json:"pending"`
	Previous *Version `json:"previous"`
}

// ByStage returns the version holding st, or nil when none does or st is
// not one of Current, Pending and Previous.
func (s Stages) ByStage(st Stage) *Version {
	switch st {
	case StageCurrent:
		return s.Current
	case StagePending:
		return s.Pending
	case StagePrevious:
		return s.Previous
	}
	return nil
}

// SupportsStagesSnapshot reports whether Stages reads one consistent
// snapshot (the driver implements driver.StagesReader). When it is false,
// Stages issues three concurrent ByStage reads, which may see three
// different moments.
func (s *Store) SupportsStagesSnapshot() bool { return s.stages != nil }

// Stages returns the versions holding StageCurrent, StagePending and
// StagePrevious, nil for a stage no version holds: what ByStage returns
// for each of the three, in one call that waits no more round trips than
// one ByStage.
//
// It returns ErrNotFound exactly when all three ByStage reads would: the
// secret does not exist (never written, or deleted), or none of its
// versions holds a stage (List tells the two apart). Any other failure of
// any read is returned as ByStage would return it, with no Stages: a stage
// is never reported absent because its read failed. A done context gives
// its own error, as everywhere.
//
// How the stages are read depends on the backend. A driver that
// implements driver.StagesReader (SupportsStagesSnapshot is true)
// answers with one consistent snapshot: memstore and filestore read under
// their lock, k8ssecret makes one GET of the Secret, vault reads its stage
// record and then the versions it names, concurrently. For the others
// (awssm, gcpsm, azkv, whose APIs read one version per request) Stages
// issues the three ByStage reads concurrently: the cost of three reads and
// the latency of one, but not a snapshot. Each field is then right
// for the moment of its own read and the three moments differ, so a
// Promote between them can show one version as both current and previous.
// As with any read, decide from it and write with compare-and-swap where
// the backend has it.
func (s *Store) Stages(ctx context.Context) (Stages, error) {
	if err := s.start(ctx, "Stages"); err != nil {
		return Stages{}, err
	}
	defer s.done()
	var ds *driver.Stages
	var err error
	if s.stages != nil {
		ds, err = s.stages.ReadStages(ctx)
	} else {
		ds, err = s.getEachStage(ctx)
	}
	if err != nil {
		return Stages{}, s.wrap(ctx, "Stages", err)
	}
	out := Stages{}
	if ds != nil {
		out = Stages{
			Current:  versionFromDriver(ds.Current),
			Pending:  versionFromDriver(ds.Pending),
			Previous: versionFromDriver(ds.Previous),
		}
	}
	if out == (Stages{}) {
		// A driver that found no stage must say so with CodeNotFound; one
		// that slips still gives callers the documented error.
		return Stages{}, &Error{Op: "Stages", Kind: ErrNotFound, msg: "no version holds a stage"}
	}
	return out, nil
}

// getEachStage is Stages for a driver without driver.StagesReader: the
// three Gets by stage at once, a not-found stage left nil. The first
// other error, in stage order, is the result, so that the error is the
// one ByStage(StageCurrent) would have given when that read failed.
func (s *Store) getEachStage(ctx context.Context) (*driver.Stages, error) {
	stages := [...]driver.Stage{driver.StageCurrent, driver.StagePending, driver.StagePrevious}
	var vs [len(stages)]*driver.Version
	var errs [len(stages)]error
	var wg sync.WaitGroup
	for i, st := range stages {
		wg.Go(func() { vs[i], errs[i] = s.d.Get(ctx, driver.Selector{Stage: st}) })
	}
	wg.Wait()
	var notFound error
	for i, err := range errs {
		switch {
		case err == nil:
		case s.isNotFound(err):
			vs[i] = nil
			if notFound == nil {
				notFound = err
			}
		default:
			return nil, err
		}
	}
	if notFound != nil && vs == [len(stages)]*driver.Version{} {
		return nil, notFound
	}
	return &driver.Stages{Current: vs[0], Pending: vs[1], Previous: vs[2]}, nil
}

// isNotFound asks the driver about err, which it may do only for an error
// that is not the context's.
func (s *Store) isNotFound(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return s.d.ErrorCode(err) == driver.CodeNotFound
}
