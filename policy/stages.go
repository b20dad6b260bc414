package policy

import (
	"context"
	"errors"

	"github.com/snowpat/snowpat/secrets"
)

// readStages reads a store's current, pending and previous versions in
// one call where the store can (a consistent snapshot), else three reads
// at once.
func readStages(ctx context.Context, s *secrets.Store) storeRead {
	all, err := s.Stages(ctx)
	switch {
	case errors.Is(err, secrets.ErrNotFound):
		return storeRead{} // nothing stored yet
	case err != nil:
		return storeRead{err: err}
	}
	return storeRead{current: all.Current, pending: all.Pending, previous: all.Previous}
}
