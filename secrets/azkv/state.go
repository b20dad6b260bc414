package azkv

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
)

// The stage table lives on the vault's latest version: every change of
// stages is one write that either creates a new latest version (Put, and
// Promote's copy) or rewrites the latest version's content type (Retire),
// so that each change is atomic, and readers that know nothing of stages
// (Power BI, Data Factory, App Service references, all of which read the
// latest version) read the current value.

// view is what reading the latest version tells.
type view struct {
	st       stages
	latest   *physical // nil when the latest version is disabled
	disabled error     // the vault's 403 SecretDisabled when it is
}

// readState reads the latest version. A secret whose latest version is
// disabled has no stages: its readers get 403 too. A missing secret is the
// vault's 404, which ErrorCode calls not found.
func (s *secret) readState(ctx context.Context) (view, error) {
	r, err := s.c.GetSecret(ctx, s.name, "", nil)
	if err != nil {
		if isDisabledErr(err) {
			return view{disabled: err}, nil
		}
		return view{}, err
	}
	p := fromSecret(&r.Secret)
	return view{st: p.stages(), latest: p}, nil
}

// readOriginal reads version id, which must be a version of its own (not
// a copy). A disabled version is the vault's 403, which ErrorCode calls
// not found.
func (s *secret) readOriginal(ctx context.Context, id string) (*physical, error) {
	r, err := s.c.GetSecret(ctx, s.name, id, nil)
	if err != nil {
		return nil, err
	}
	p := fromSecret(&r.Secret)
	if p.isCopy() {
		return nil, errorf(driver.CodeNotFound, "no version %q", id)
	}
	return p, nil
}

// listAll returns every physical version's properties, copies included.
func (s *secret) listAll(ctx context.Context) ([]*physical, error) {
	var out []*physical
	for pg := s.c.NewListSecretPropertiesVersionsPager(s.name, nil); pg.More(); {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, v := range page.Value {
			if v != nil {
				out = append(out, fromProperties(v))
			}
		}
	}
	return out, nil
}
