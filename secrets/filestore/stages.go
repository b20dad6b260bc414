package filestore

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

var _ driver.StagesReader = (*secret)(nil)

// ReadStages reads the state file and the held versions' files under one
// shared lock, so that no writer changes the directory in between: one
// lock where three Gets take three.
func (s *secret) ReadStages(ctx context.Context) (*driver.Stages, error) {
	var out *driver.Stages
	err := s.view(ctx, func(set *versionset.Set) error {
		var err error
		out, err = set.ReadStages(func(r *versionset.Record) ([]byte, error) { return s.readValue(r.ID) })
		return err
	})
	return out, err
}
