package vault

import (
	"context"
	"strconv"
	"sync"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

var _ driver.StagesReader = (*secret)(nil)

// ReadStages reads the stage record once, then the KV versions it names
// for the three stages, concurrently: 1 + (stages held) requests in two
// round trips, where three Gets take six requests. It is a snapshot: the
// stages are one record version's, and a KV version's data never changes
// (it can only be deleted, which a Get would report as not found too).
func (s *secret) ReadStages(ctx context.Context) (*driver.Stages, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := s.readRecord(ctx)
	if err != nil {
		return nil, err
	}
	if !r.set.Exists() {
		return nil, versionset.NoSecret()
	}
	var out driver.Stages
	slots := []struct {
		st  driver.Stage
		dst **driver.Version
		err error
	}{{st: driver.StageCurrent, dst: &out.Current}, {st: driver.StagePending, dst: &out.Pending}, {st: driver.StagePrevious, dst: &out.Previous}}
	var wg sync.WaitGroup
	for i := range slots {
		x := r.set.Holding(slots[i].st)
		if x == nil {
			continue
		}
		wg.Go(func() { *slots[i].dst, slots[i].err = s.readVersion(ctx, x) })
	}
	wg.Wait()
	for _, sl := range slots {
		if sl.err != nil {
			return nil, sl.err
		}
	}
	if out == (driver.Stages{}) {
		return nil, versionset.Errorf(driver.CodeNotFound, "no version holds a stage")
	}
	return &out, nil
}

// readVersion reads the value of the version x names, as Get does: a
// version Vault no longer has is nil, which Get reports as not found.
func (s *secret) readVersion(ctx context.Context, x *versionset.Record) (*driver.Version, error) {
	n, err := strconv.Atoi(x.ID)
	if err != nil {
		return nil, versionset.Errorf(driver.CodeUnknown, "the stage record names version %q, not a number", x.ID)
	}
	var d valueData
	_, found, err := s.readData(ctx, s.path, n, &d)
	if err != nil || !found {
		return nil, err
	}
	b, err := d.decode()
	if err != nil {
		return nil, err
	}
	return &driver.Version{VersionInfo: *x.Info(), Value: b}, nil
}
