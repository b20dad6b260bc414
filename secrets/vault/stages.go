package vault

import (
	"context"
	"errors"
	"slices"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

func (s *secret) Promote(ctx context.Context, id string) error {
	return s.promote(ctx, id, nil)
}

func (s *secret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.promote(ctx, id, &pre)
}

// promote moves the stages in the record with check-and-set, checking pre
// against the record it replaces. A version Vault no longer has cannot be
// promoted: it is pruned first, and so not found.
func (s *secret) promote(ctx context.Context, id string, pre *driver.Precondition) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	meta, _, err := s.readMetadata(ctx, s.path)
	if err != nil {
		return err
	}
	return s.update(ctx, func(r *record) (bool, error) {
		r.prune(meta.OldestVersion, 0)
		return r.set.Promote(id, pre)
	})
}

// Retire takes the stage away in the record, then soft-deletes the KV
// version, so that it cannot be read (vault kv undelete brings it back
// for an operator). The record goes first: a Retire interrupted between
// the two leaves a retired version still readable by its number, which
// retrying finishes, never a staged version nobody can read.
func (s *secret) Retire(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.update(ctx, func(r *record) (bool, error) { return r.set.Retire(id) }); err != nil {
		return err
	}
	n, err := versionNumber(id)
	if err != nil {
		return err
	}
	return s.versionsOp(ctx, "delete", s.path, []int{n})
}

// Delete empties the record with check-and-set (the commit: the secret no
// longer exists for any reader), then destroys the values of the versions
// it held. The KV metadata of both paths stays, so version numbers keep
// growing and a stale id never names a new version; vault kv metadata
// delete on both paths removes every trace once nobody writes.
func (s *secret) Delete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var gone []int
	err := s.update(ctx, func(r *record) (bool, error) {
		if !r.set.Exists() {
			return false, versionset.NoSecret()
		}
		gone = gone[:0]
		ids := slices.Clone(r.destroyed) // in case a Destroy did not finish
		for _, x := range r.set.Records {
			ids = append(ids, x.ID)
		}
		for _, id := range ids {
			if n, err := versionNumber(id); err == nil {
				gone = append(gone, n)
			}
		}
		r.set, r.destroyed = versionset.Set{}, nil
		clear(r.sums)
		return true, nil
	})
	if err != nil {
		return err
	}
	return s.versionsOp(ctx, "destroy", s.path, gone)
}

// update applies change to the latest record and writes it back with
// check-and-set, starting again from a fresh read whenever another writer
// got there first. change reports whether it changed anything; nothing is
// written when it did not.
func (s *secret) update(ctx context.Context, change func(*record) (bool, error)) error {
	for range maxAttempts {
		r, err := s.readRecord(ctx)
		if err != nil {
			return err
		}
		changed, err := change(r)
		if err != nil || !changed {
			return err
		}
		switch err := s.writeRecord(ctx, r); {
		case errors.Is(err, errCASMismatch):
			continue
		case err != nil:
			return err
		}
		s.mirror(ctx, r)
		return nil
	}
	return contended()
}

func versionNumber(id string) (int, error) {
	var n int
	for _, c := range id {
		if c < '0' || c > '9' || n > 1<<40 {
			return 0, versionset.Errorf(driver.CodeNotFound, "no version %q", id)
		}
		n = n*10 + int(c-'0')
	}
	if n == 0 {
		return 0, versionset.Errorf(driver.CodeNotFound, "no version %q", id)
	}
	return n, nil
}
