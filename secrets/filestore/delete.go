package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// Delete removes the secret's files and then its directory. Removing the
// state file comes first and is the commit point: from then on the secret
// does not exist, and a crash before the rest is removed leaves only
// files that the next write collects.
func (s *secret) Delete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l, err := s.lock(ctx, true, false)
	if errors.Is(err, fs.ErrNotExist) {
		return versionset.NoSecret()
	}
	if err != nil {
		return err
	}
	defer closeLock(l)
	set, err := s.load()
	if err != nil {
		return err
	}
	if !set.Exists() {
		return versionset.NoSecret()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Remove(s.path(stateName)); err != nil {
		return err
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	crashPoint("delete:state-removed")
	for i, r := range set.Records {
		if err := os.Remove(s.versionPath(r.ID)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if i == 0 {
			crashPoint("delete:version-removed")
		}
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	if err := s.collectGarbage(&versionset.Set{}, entries); err != nil {
		return err
	}
	// Unlinking the lock file while holding it is safe: see lock.
	if err := os.Remove(s.path(lockName)); err != nil {
		return err
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	// The directory goes too if nothing else is in it; a concurrent writer
	// may already have put a new lock file there, which is fine.
	_ = os.Remove(s.dir)
	return nil
}
