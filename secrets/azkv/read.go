package azkv

import (
	"context"
	"slices"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Get reads a version by id (one request, plus one for its stage) or by
// stage (the latest version, plus the original when the latest is a copy
// or the stage is not current).
func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if sel.ID != "" {
		p, err := s.readOriginal(ctx, sel.ID)
		if err != nil {
			return nil, err
		}
		v, err := s.readState(ctx)
		if err != nil {
			return nil, err
		}
		return version(p, v.st)
	}
	v, err := s.readState(ctx)
	if err != nil {
		return nil, err
	}
	id := v.st.holder(sel.Stage)
	if id == "" {
		// A disabled latest version hides every stage: the vault's 403
		// says why, and ErrorAs reaches it.
		return nil, wrapf(driver.CodeNotFound, v.disabled, "no version is %s", sel.Stage)
	}
	p := v.latest
	if p == nil || p.isCopy() || p.id != id {
		if p, err = s.readOriginal(ctx, id); err != nil {
			return nil, err
		}
	}
	return version(p, v.st)
}

func version(p *physical, st stages) (*driver.Version, error) {
	if p.value == nil {
		return nil, errorf(driver.CodeUnknown, "version %q came back without a value", p.id)
	}
	b, err := decodeValue(*p.value, p.mark.b64)
	if err != nil {
		return nil, err
	}
	return &driver.Version{VersionInfo: p.info(st), Value: b}, nil
}

// List reads every page of versions and the latest version, and reports
// the originals oldest first; copies are not versions.
func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all, err := s.listAll(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, errorf(driver.CodeNotFound, "the secret does not exist")
	}
	v, err := s.readState(ctx)
	if err != nil {
		return nil, err
	}
	originals := slices.DeleteFunc(all, (*physical).isCopy)
	slices.SortFunc(originals, compareAge)
	out := make([]*driver.VersionInfo, len(originals))
	for i, p := range originals {
		info := p.info(v.st)
		out[i] = &info
	}
	return out, nil
}
