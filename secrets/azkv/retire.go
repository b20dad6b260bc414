package azkv

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Retire takes id's stage away, then disables id and every copy of it, so
// that neither snowpat nor anyone reading the version by its id gets the
// value. The stage goes first: a Retire interrupted between the two steps
// leaves a stageless version that is still enabled, which retrying
// finishes, rather than a stage on a version nobody can read.
func (s *secret) Retire(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v, err := s.readState(ctx)
	if err != nil {
		return err
	}
	if v.st.cur == id {
		return errorf(driver.CodeConflict, "version %q is current; promote another version before retiring it", id)
	}
	if _, err := s.readOriginal(ctx, id); err != nil && !isDisabledErr(err) {
		return err
	}
	if v.st.pend == id || v.st.prev == id {
		if err := s.unstage(ctx, v, id); err != nil {
			return err
		}
	}
	return s.disableAll(ctx, id)
}

// unstage rewrites the stage table without id.
func (s *secret) unstage(ctx context.Context, v view, id string) error {
	next := v.st.without(id)
	l := v.latest
	if l == nil {
		return nil // the latest version is disabled: there are no stages
	}
	if l.logical() == id {
		if next.cur != "" {
			// id's version is the latest (a pending write whose copy of
			// the current version failed): put the current value back on
			// top, carrying the new table.
			return s.copyCurrent(ctx, v, next)
		}
		// id is a pending version with no current one: disabling it with
		// its table emptied is one step, and leaves no stages.
		return s.patchLatest(ctx, l, next, false)
	}
	return s.patchLatest(ctx, l, next, true)
}

// patchLatest rewrites the latest version's stage table (and disables it
// when enabled is false) in one request. Without compare-and-swap a write
// that made another version the latest in the meantime wins, and this
// change is lost: see the package documentation.
func (s *secret) patchLatest(ctx context.Context, l *physical, st stages, enabled bool) error {
	m := l.mark
	if !m.ours {
		m = mark{media: "text/plain"} // never happens: a foreign latest version has no stage to remove
	}
	m.st = st.relative(l.logical())
	ct, err := m.format()
	if err != nil {
		return errorf(driver.CodeInvalidArgument, "%v", err)
	}
	p := azsecrets.UpdateSecretPropertiesParameters{ContentType: &ct}
	if !enabled {
		p.SecretAttributes = &azsecrets.SecretAttributes{Enabled: to.Ptr(false)}
	}
	_, err = s.c.UpdateSecretProperties(ctx, s.name, l.id, p, nil)
	return err
}

// disableAll disables id and its copies that are still enabled.
func (s *secret) disableAll(ctx context.Context, id string) error {
	all, err := s.listAll(ctx)
	if err != nil {
		return err
	}
	off := azsecrets.UpdateSecretPropertiesParameters{SecretAttributes: &azsecrets.SecretAttributes{Enabled: to.Ptr(false)}}
	for _, p := range all {
		if p.logical() != id || !p.enabled {
			continue
		}
		if _, err := s.c.UpdateSecretProperties(ctx, s.name, p.id, off, nil); err != nil {
			return err
		}
	}
	return nil
}
