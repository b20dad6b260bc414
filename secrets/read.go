package secrets

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Current returns the current version: what a reader should use.
func (s *Store) Current(ctx context.Context) (*Version, error) {
	return s.get(ctx, "Current", driver.Selector{Stage: driver.StageCurrent})
}

// ByStage returns the version holding stage st, which is Current, Pending
// or Previous. It returns ErrNotFound when no version holds st.
func (s *Store) ByStage(ctx context.Context, st Stage) (*Version, error) {
	if err := validateStage("ByStage", st); err != nil {
		return nil, err
	}
	return s.get(ctx, "ByStage", driver.Selector{Stage: st.driver()})
}

// ByID returns the version with the given id. It returns ErrNotFound when
// there is none, or when it was retired on a backend that disables retired
// versions.
func (s *Store) ByID(ctx context.Context, id string) (*Version, error) {
	if err := validateID("ByID", id); err != nil {
		return nil, err
	}
	return s.get(ctx, "ByID", driver.Selector{ID: id})
}

func (s *Store) get(ctx context.Context, op string, sel driver.Selector) (*Version, error) {
	if err := s.start(ctx, op); err != nil {
		return nil, err
	}
	defer s.done()
	dv, err := s.d.Get(ctx, sel)
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return versionFromDriver(dv), nil
}

// versionFromDriver returns nil for nil, so that an absent stage stays
// absent.
func versionFromDriver(dv *driver.Version) *Version {
	if dv == nil {
		return nil
	}
	return &Version{
		VersionInfo: infoFromDriver(&dv.VersionInfo),
		value:       &secretValue{b: dv.Value},
	}
}

// List returns every version of the secret without values, oldest first.
// It returns ErrNotFound when the secret does not exist.
func (s *Store) List(ctx context.Context) ([]VersionInfo, error) {
	if err := s.start(ctx, "List"); err != nil {
		return nil, err
	}
	defer s.done()
	dvs, err := s.d.List(ctx)
	if err != nil {
		return nil, s.wrap(ctx, "List", err)
	}
	out := make([]VersionInfo, len(dvs))
	for i, dv := range dvs {
		out[i] = infoFromDriver(dv)
	}
	// Drivers list oldest first already; a stable sort makes it so for
	// one that slips, without reordering versions created in the same
	// instant.
	slices.SortStableFunc(out, func(a, b VersionInfo) int { return a.Created.Compare(b.Created) })
	return out, nil
}

func infoFromDriver(d *driver.VersionInfo) VersionInfo {
	md := d.Metadata
	if len(md) == 0 {
		md = nil
	} else {
		md = maps.Clone(md)
	}
	return VersionInfo{
		ID:       d.ID,
		Stage:    stageFromDriver(d.Stage),
		Created:  d.Created.In(time.UTC),
		Enabled:  d.Enabled,
		Metadata: md,
	}
}
