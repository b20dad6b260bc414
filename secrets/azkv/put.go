package azkv

import (
	"context"
	"mime"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Put writes the new version with the new stage table in one request
// (after looking the idempotency key up in the version list). A pending
// version then is the vault's latest, which readers outside
// snowpat would take; so a second request writes a copy of the current
// value on top, carrying the same table. Between the two requests (or
// for good, if the second fails) those readers see the pending value.
// Both requests go through setVersion, which survives a request the vault
// carried out and then failed to answer.
func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := checkTagValues(req.Metadata); err != nil {
		return "", err
	}
	lookup, sum := idempotencyMarks(req.IdempotencyKey, req.Value)
	if lookup != "" {
		id, err := s.replay(ctx, lookup, sum, req.Metadata)
		if err != nil || id != "" {
			return id, err
		}
	}
	v, err := s.readState(ctx)
	if err != nil && !isNotFound(err) {
		return "", err
	}
	old := v.st
	next := stages{cur: self, prev: old.cur, pend: old.pend}
	if req.Pending {
		next = stages{cur: old.cur, pend: self, prev: old.prev}
	}
	params, m, err := s.newParams(req, next, lookup, sum)
	if err != nil {
		return "", err
	}
	id, err := s.setVersion(ctx, params, m)
	if err != nil {
		return "", err
	}
	if req.Pending && old.cur != "" {
		// The pending version is written; what follows only restores the
		// current value as the latest, so its failure is not the Put's.
		_ = s.copyCurrent(ctx, v, stages{cur: old.cur, pend: id, prev: old.prev})
	}
	return id, nil
}

// newParams builds the request for a new original version, and the mark
// setVersion completes and puts in its content type.
func (s *secret) newParams(req *driver.PutRequest, st stages, lookup, sum string) (azsecrets.SetSecretParameters, mark, error) {
	stored, b64 := encodeValue(req.Value)
	media, err := s.mediaType(req.Metadata, b64)
	if err != nil {
		return azsecrets.SetSecretParameters{}, mark{}, errorf(driver.CodeInvalidArgument, "%v", err)
	}
	exp, err := expiry(req.Metadata)
	if err != nil {
		return azsecrets.SetSecretParameters{}, mark{}, errorf(driver.CodeInvalidArgument, "%v", err)
	}
	m := mark{media: media, st: st, key: lookup, sum: sum, b64: b64, t: time.Now().UnixNano()}
	// Refuse a content type too long for the stage parameters before
	// anything is sent: setVersion's own check comes after the replay.
	if _, err := withWrite(m).format(); err != nil {
		return azsecrets.SetSecretParameters{}, mark{}, errorf(driver.CodeInvalidArgument, "%v", err)
	}
	p := azsecrets.SetSecretParameters{Value: &stored, Tags: tagsFromMetadata(req.Metadata)}
	if exp != nil {
		p.SecretAttributes = &azsecrets.SecretAttributes{Expires: exp}
	}
	return p, m, nil
}

// withWrite is m with a write id and attempt number of the longest kind
// setVersion writes, to measure the content type before sending.
func withWrite(m mark) mark {
	m.w, m.n = newWriteID(), setAttempts
	return m
}

// copyCurrent writes a copy of the current version (read from v when it is
// the latest) carrying st, so that it becomes the latest version again.
func (s *secret) copyCurrent(ctx context.Context, v view, st stages) error {
	src := v.latest
	if src == nil || src.logical() != st.cur {
		var err error
		if src, err = s.readOriginal(ctx, st.cur); err != nil {
			return err
		}
	}
	return s.writeCopy(ctx, src, st)
}

// writeCopy writes src's value, tags, expiry and content type as a new
// version that stands for src's original and carries st.
func (s *secret) writeCopy(ctx context.Context, src *physical, st stages) error {
	if src.value == nil {
		return errorf(driver.CodeUnknown, "version %q came back without a value", src.id)
	}
	orig := src.logical()
	m := mark{media: src.mark.media, st: st.relative(orig), copyOf: orig, b64: src.mark.b64}
	if _, _, err := mime.ParseMediaType(m.media); err != nil {
		m.media = "text/plain" // a version written outside this package, without a usable type
	}
	p := azsecrets.SetSecretParameters{Value: src.value, Tags: src.tags}
	if src.exp != nil {
		p.SecretAttributes = &azsecrets.SecretAttributes{Expires: src.exp}
	}
	_, err := s.setVersion(ctx, p, m)
	return err
}

// replay finds an earlier write with the same idempotency key. It returns
// its id when value and metadata match, a conflict when they do not, and
// "" when the key is new. Versions written twice with one key answer with
// the first write (two callers retrying one write at once, each writing)
// and, within one write, with its latest attempt (see findWrite): an
// order that never depends on the vault's random version ids unless two
// versions come from one request sent twice, which setVersion never does.
func (s *secret) replay(ctx context.Context, lookup, sum string, md map[string]string) (string, error) {
	all, err := s.listAll(ctx)
	if err != nil {
		if isNotFound(err) {
			return "", nil
		}
		return "", err
	}
	var first *physical
	for _, p := range all {
		if p.mark.key == lookup && !p.isCopy() && (first == nil || replaysBefore(p, first)) {
			first = p
		}
	}
	if first == nil {
		return "", nil
	}
	if first.mark.sum != sum || !sameTags(first.tags, md) {
		return "", errorf(driver.CodeConflict, "the idempotency key was used for version %q with a different value or metadata", first.id)
	}
	return first.id, nil
}

// replaysBefore orders the versions one idempotency key wrote: attempts
// of one write by attempt, latest first; different writes oldest first.
func replaysBefore(p, q *physical) bool {
	if p.mark.w != "" && p.mark.w == q.mark.w && p.mark.n != q.mark.n {
		return p.mark.n > q.mark.n
	}
	return compareAge(p, q) < 0
}
