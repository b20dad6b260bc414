package k8ssecret

import (
	"bytes"
	"context"
	"maps"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/coded"
	"github.com/snowpat/snowpat/secrets/internal/idem"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// maxTries bounds the read-change-write loop when other writers keep
// changing the Secret in between.
const maxTries = 64

// mutate is every write: read the Secret, apply change to what was read,
// and write the result back on the resourceVersion that was read (create
// it when it did not exist). If anyone wrote in between, the API server
// refuses with 409 Conflict (or AlreadyExists, for two creates) and the
// whole step runs again on a fresh read, so a precondition change checks
// holds at the instant of the write: compare-and-swap. change leaves
// sn.dirty false to write nothing.
//
// An update whose answer was lost is recognised by its mark (see
// marks.go): a 409 may be client-go's resend of an update the server
// carried out, and a server or connection error may follow one, so the
// write returns the result of the update that landed rather than
// deciding again on top of its own work.
func (s *secret) mutate(ctx context.Context, change func(sn *snapshot) (string, error)) (string, error) {
	sent := map[string]string{} // the mark of every update sent → its result
	for range maxTries {
		sn, err := s.load(ctx)
		if err != nil {
			return "", err
		}
		if res, ok := sn.landed(sent); ok {
			return res, nil
		}
		res, err := change(sn)
		if err != nil || !sn.dirty {
			return res, err
		}
		sn.mark = newMark()
		out, err := sn.fit(s.namespace, s.name)
		if err != nil {
			return "", err
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
		sent[sn.mark] = res
		if sn.obj == nil {
			_, err = s.api.Create(ctx, out, metav1.CreateOptions{})
		} else {
			_, err = s.api.Update(ctx, out, metav1.UpdateOptions{})
		}
		switch {
		case err == nil:
			return res, nil
		case apierrors.IsConflict(err), apierrors.IsAlreadyExists(err), apierrors.IsNotFound(err) && sn.obj != nil:
			continue // someone else wrote (or deleted the Secret) first, or this write did: the next read tells
		case errorCode(err) == driver.CodeUnavailable:
			if res, ok := s.landedAfterAll(ctx, sent); ok {
				return res, nil
			}
		}
		return "", coded.Fail(ctx, err)
	}
	return "", decided(driver.CodeConflict, "Secret %s/%s kept changing; gave up after %d tries", s.namespace, s.name, maxTries)
}

func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	return s.put(ctx, req, nil)
}

func (s *secret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	return s.put(ctx, req, &pre)
}

func (s *secret) put(ctx context.Context, req *driver.PutRequest, pre *driver.Precondition) (string, error) {
	lookup, sum := idem.Marks(req.IdempotencyKey, req.Value, markSize)
	value := bytes.Clone(req.Value)
	return s.mutate(ctx, func(sn *snapshot) (string, error) {
		id, err := sn.set.Replay(lookup, req.Metadata, func(r *versionset.Record) (bool, error) {
			return sn.sums[r.ID] == sum, nil
		})
		if err != nil || id != "" {
			return id, err
		}
		if pre != nil {
			if err := sn.set.Check(*pre); err != nil {
				return "", err
			}
		}
		sn.last++
		id = strconv.FormatUint(sn.last, 10)
		sn.set.Add(versionset.Record{ID: id, Created: s.now(), Key: lookup, Metadata: maps.Clone(req.Metadata)}, req.Pending)
		sn.sums[id], sn.values[id], sn.dirty = sum, value, true
		return id, nil
	})
}

func (s *secret) Promote(ctx context.Context, id string) error {
	return s.promote(ctx, id, nil)
}

func (s *secret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.promote(ctx, id, &pre)
}

func (s *secret) promote(ctx context.Context, id string, pre *driver.Precondition) error {
	_, err := s.mutate(ctx, func(sn *snapshot) (string, error) {
		changed, err := sn.set.Promote(id, pre)
		sn.dirty = changed
		return "", err
	})
	return err
}

// Retire disables the version and erases its value from the Secret: a
// disabled version can never be read again, so nothing needs it, and a
// leaked token should not linger. Its record stays, for List and for
// idempotency.
func (s *secret) Retire(ctx context.Context, id string) error {
	_, err := s.mutate(ctx, func(sn *snapshot) (string, error) {
		changed, err := sn.set.Retire(id)
		sn.dirty = changed
		return "", err
	})
	return err
}

// Destroy forgets the version: its value and its record.
func (s *secret) Destroy(ctx context.Context, id string) error {
	_, err := s.mutate(ctx, func(sn *snapshot) (string, error) {
		if err := sn.set.Remove(id); err != nil {
			return "", err
		}
		delete(sn.sums, id)
		sn.dirty = true
		return "", nil
	})
	return err
}

// Delete removes every version and value, and leaves the Secret object
// itself, with its other keys and a record of the last version id, so
// that ids are never reused and no delete permission is needed.
func (s *secret) Delete(ctx context.Context) error {
	_, err := s.mutate(ctx, func(sn *snapshot) (string, error) {
		if !sn.set.Exists() {
			return "", versionset.NoSecret()
		}
		sn.set, sn.sums, sn.dirty = versionset.Set{}, map[string]string{}, true
		return "", nil
	})
	return err
}
