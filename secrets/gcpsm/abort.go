package gcpsm

import (
	"context"
	"errors"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
)

// abandon undoes a write that will not commit, then returns id and err:
// its version is marked aborted and destroyed. Should the version turn
// out to be committed after all, that wins.
func (s *secret) abandon(ctx context.Context, n int64, id string, err error) (string, error) {
	if committed, _ := s.abort(ctx, n); committed {
		return formatID(n), nil
	}
	return id, err
}

// settle resolves a commit whose outcome is unknown (an error after the
// request may have reached the server): if the version is recorded it
// committed, and the write succeeded; otherwise it is aborted, so that a
// commit still in flight can no longer land (its etag is stale once the
// abort is written).
func (s *secret) settle(ctx context.Context, n int64, err error) (string, error) {
	committed, aerr := s.abort(ctx, n)
	if committed && aerr == nil {
		return formatID(n), nil
	}
	return "", err
}

// abort marks version n aborted, unless it has been committed, and
// destroys it. It works on a context of its own, as the caller's may be
// done: leaving the version would show it to readers once it is old
// enough.
func (s *secret) abort(ctx context.Context, n int64) (committed bool, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	for range casAttempts {
		sn, err := s.load(ctx)
		if err != nil {
			return false, err
		}
		if sn.records[n] != nil || sn.pruned.has(n) {
			return true, nil
		}
		next := sn.clone()
		next.aborted = next.aborted.add(n)
		err = s.commit(ctx, sn, next)
		if err == nil {
			// The mark is what hides the version; destroying it only
			// frees what it holds, so a failure here is not the caller's.
			_, _ = s.c.DestroySecretVersion(ctx, &secretmanagerpb.DestroySecretVersionRequest{Name: s.versionName(n)})
			return false, nil
		}
		if _, ok := errors.AsType[*staleError](err); !ok {
			return false, err
		}
	}
	return false, coded(driver.CodeUnavailable, nil, "could not mark version %d aborted", n)
}
