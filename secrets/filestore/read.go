package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// view runs fn on the current state under the shared lock. A missing
// directory or lock file is a secret that does not exist; nothing is
// created by reading.
func (s *secret) view(ctx context.Context, fn func(*versionset.Set) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l, err := s.lock(ctx, false, false)
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
	return fn(set)
}

func closeLock(l *os.File) { _ = l.Close() }

func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	var out *driver.Version
	err := s.view(ctx, func(set *versionset.Set) error {
		r, err := set.Select(sel)
		if err != nil {
			return err
		}
		v, err := s.readValue(r.ID)
		if err != nil {
			return err
		}
		out = &driver.Version{VersionInfo: *r.Info(), Value: v}
		return nil
	})
	return out, err
}

func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	var out []*driver.VersionInfo
	err := s.view(ctx, func(set *versionset.Set) error {
		var err error
		out, err = set.Infos()
		return err
	})
	return out, err
}
