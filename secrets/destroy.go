package secrets

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
)

// SupportsDestroy reports whether Destroy can work on this backend.
func (s *Store) SupportsDestroy() bool {
	_, ok := s.d.(driver.Destroyer)
	return ok
}

// Destroy erases version id for good where the backend can (files are
// unlinked, GCP and Vault versions destroyed): its value can never be read
// again. Use it for a compromised secret's stored copies, which Retire
// would only disable. Destroying the current version fails with
// ErrConflict; a version already destroyed gives nil or ErrNotFound. On a
// backend that cannot erase single versions it returns ErrUnsupported and
// changes nothing: retire the version instead, and see the adapter's
// documentation for how long the backend keeps it.
func (s *Store) Destroy(ctx context.Context, id string) error {
	if err := validateID("Destroy", id); err != nil {
		return err
	}
	d, ok := s.d.(driver.Destroyer)
	if !ok {
		return &Error{Op: "Destroy", Kind: ErrUnsupported, msg: "the backend cannot erase a single version"}
	}
	if err := s.start(ctx, "Destroy"); err != nil {
		return err
	}
	defer s.done()
	return s.wrap(ctx, "Destroy", d.Destroy(ctx, id))
}
