package vault

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// Get picks the version in the stage record, then reads its value: two
// requests. A version that Vault no longer has (deleted by hand, or
// dropped past max_versions) is not found.
func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := s.readRecord(ctx)
	if err != nil {
		return nil, err
	}
	x, err := r.set.Select(sel)
	if err != nil {
		return nil, err
	}
	v, err := s.readVersion(ctx, x)
	if err == nil && v == nil {
		err = versionset.Errorf(driver.CodeNotFound, "version %s is no longer in Vault", x.ID)
	}
	return v, err
}

// List reports the stage record's versions that Vault still keeps. The
// record is read first, so every version it names is at most the value
// path's current_version read after it.
func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := s.readRecord(ctx)
	if err != nil {
		return nil, err
	}
	meta, _, err := s.readMetadata(ctx, s.path)
	if err != nil {
		return nil, err
	}
	r.prune(meta.OldestVersion, meta.CurrentVersion)
	return r.set.Infos()
}
