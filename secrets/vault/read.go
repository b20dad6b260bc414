package vault

import (
	"context"
	"strconv"

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
	n, err := strconv.Atoi(x.ID)
	if err != nil {
		return nil, versionset.Errorf(driver.CodeUnknown, "the stage record names version %q, not a number", x.ID)
	}
	var d valueData
	_, found, err := s.readData(ctx, s.path, n, &d)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, versionset.Errorf(driver.CodeNotFound, "version %s is no longer in Vault", x.ID)
	}
	b, err := d.decode()
	if err != nil {
		return nil, err
	}
	return &driver.Version{VersionInfo: *x.Info(), Value: b}, nil
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
