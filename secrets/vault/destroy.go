package vault

import (
	"context"
	"slices"

	"github.com/snowpat/snowpat/secrets/driver"
)

var _ driver.Destroyer = (*secret)(nil)

// Destroy forgets version id in the stage record, with check-and-set (the
// commit: no reader of the record sees it from then on, and its
// idempotency key goes with it), then destroys its value with KV v2's
// destroy, which removes the data for good (unlike Retire's soft delete,
// which vault kv undelete reverses). The record lists the version among
// the destroyed ones, so that a Destroy interrupted between the two steps
// is finished by a retry rather than answered with not-found while Vault
// still holds the value. The KV version's metadata stays, marked
// destroyed, as Vault keeps it.
func (s *secret) Destroy(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n, err := versionNumber(id)
	if err != nil {
		return err
	}
	err = s.update(ctx, func(r *record) (bool, error) {
		if _, err := r.set.Find(id); err != nil {
			if slices.Contains(r.destroyed, id) {
				return false, nil // committed before: finish the destroy
			}
			return false, err
		}
		if err := r.set.Remove(id); err != nil {
			return false, err
		}
		delete(r.sums, id)
		r.destroyed = append(r.destroyed, id)
		return true, nil
	})
	if err != nil {
		return err
	}
	return s.versionsOp(ctx, "destroy", s.path, []int{n})
}
