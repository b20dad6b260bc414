package azkv

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Promote writes a copy of version id as the new latest version, carrying
// the new stage table: one request that moves every stage and makes the
// value what the vault's readers get.
func (s *secret) Promote(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v, err := s.readState(ctx)
	if err != nil {
		return err
	}
	if v.st.cur == id {
		return nil
	}
	p, err := s.readOriginal(ctx, id)
	if err != nil {
		if isDisabledErr(err) {
			return wrapf(driver.CodeConflict, err, "version %q is disabled", id)
		}
		return err
	}
	old := v.st.without(id)
	return s.writeCopy(ctx, p, stages{cur: id, prev: old.cur, pend: old.pend})
}
