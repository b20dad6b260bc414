package policy

import (
	"context"
	"errors"
	"sync"

	"github.com/snowpat/snowpat/secrets"
)

// readStages reads a store's current, pending and previous versions at
// once.
func readStages(ctx context.Context, s *secrets.Store) storeRead {
	var r storeRead
	var errs [3]error
	var wg sync.WaitGroup
	for i, slot := range []struct {
		stage secrets.Stage
		dst   **secrets.Version
	}{{secrets.StageCurrent, &r.current}, {secrets.StagePending, &r.pending}, {secrets.StagePrevious, &r.previous}} {
		wg.Go(func() {
			v, err := s.ByStage(ctx, slot.stage)
			if errors.Is(err, secrets.ErrNotFound) {
				return
			}
			*slot.dst, errs[i] = v, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return storeRead{err: err}
		}
	}
	return r
}
