package k8ssecret

import (
	"bytes"
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

var _ driver.StagesReader = (*secret)(nil)

// ReadStages is one GET of the Secret, which holds every version's record
// and value: the stages it reports are one resourceVersion's.
func (s *secret) ReadStages(ctx context.Context) (*driver.Stages, error) {
	sn, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	return sn.set.ReadStages(func(r *versionset.Record) ([]byte, error) {
		return bytes.Clone(sn.value(r.ID)), nil
	})
}
