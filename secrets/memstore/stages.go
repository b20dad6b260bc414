package memstore

import (
	"bytes"
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

var _ driver.StagesReader = (*secret)(nil)

// ReadStages reads all three stages under the secret's mutex, so that no
// write lands between them.
func (s *secret) ReadStages(ctx context.Context) (*driver.Stages, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.set.ReadStages(func(r *versionset.Record) ([]byte, error) {
		return bytes.Clone(s.values[r.ID]), nil
	})
}
