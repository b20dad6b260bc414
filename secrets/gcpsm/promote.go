package gcpsm

import (
	"context"
	"errors"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/grpc/codes"
)

func (s *secret) Promote(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fail(ctx, s.promote(ctx, id, nil))
}

func (s *secret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fail(ctx, s.promote(ctx, id, &pre))
}

// target finds version id for Promote and Retire: its number and GCP's
// view of it, or not-found if readers may not see it.
func (s *secret) target(ctx context.Context, sn *snapshot, id string) (int64, *secretmanagerpb.SecretVersion, error) {
	n, ok := parseID(id)
	if !ok {
		return 0, nil, coded(driver.CodeNotFound, nil, "no version %q", id)
	}
	v, err := s.getVersion(ctx, n)
	if err != nil {
		return 0, nil, err
	}
	if !s.visible(sn, n, v.GetCreateTime().AsTime()) {
		return 0, nil, coded(driver.CodeNotFound, nil, "no version %q", id)
	}
	return n, v, nil
}

// promote moves the aliases with one UpdateSecret carrying the etag of
// the snapshot the decision was made on, so that the precondition, the
// version's state and the move are one atomic step; a lost race re-reads
// and decides again. The checks come in the order the driver contract
// gives: missing, already current, precondition, disabled.
func (s *secret) promote(ctx context.Context, id string, pre *driver.Precondition) error {
	for range casAttempts {
		sn, err := s.load(ctx)
		if err != nil {
			return err
		}
		n, v, err := s.target(ctx, sn, id)
		if err != nil {
			return err
		}
		if sn.stageOf(n) == driver.StageCurrent {
			return nil
		}
		if pre != nil && pre.Absent {
			return coded(driver.CodeConflict, nil, "precondition failed: version %d exists", n)
		}
		if pre != nil {
			if err := sn.check(*pre); err != nil {
				return err
			}
		}
		if v.GetState() != secretmanagerpb.SecretVersion_ENABLED || sn.retired.has(n) {
			return coded(driver.CodeConflict, nil, "version %d is retired (%s)", n, v.GetState())
		}
		next := sn.clone()
		next.makeCurrent(n)
		if next.records[n] == nil && !next.pruned.has(n) {
			// A version another tool added: adopt it, so that it stays
			// visible whatever its age.
			next.records[n] = &record{Created: v.GetCreateTime().AsTime()}
		}
		err = s.commit(ctx, sn, next)
		if _, stale := errors.AsType[*staleError](err); !stale {
			return err
		}
	}
	return coded(driver.CodeUnavailable, nil, "too many concurrent changes to the secret")
}

// Retire takes the stage aliases off the version and marks it retired in
// one UpdateSecret with the snapshot's etag, which is the atomic step:
// from then on readers cannot read it and Promote refuses it. Disabling
// it in GCP (or destroying it, with WithDestroyRetired) follows; if that
// fails, the error is returned and a retried Retire finishes the job.
func (s *secret) Retire(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fail(ctx, s.retire(ctx, id))
}

func (s *secret) retire(ctx context.Context, id string) error {
	n, v, err := s.markRetired(ctx, id, false)
	if err != nil {
		return err
	}
	return s.disable(ctx, n, v)
}

// markRetired takes version id's stage aliases off and marks it retired,
// in one UpdateSecret with the snapshot's etag; with forget, it also
// drops the version's idempotency marks, so that a later write with the
// same key writes a new version rather than answering with this one. A
// version that is already so marked is left as it is, so that a retry
// goes on to the step after. It returns the version's number and GCP's
// view of it as of the mark.
func (s *secret) markRetired(ctx context.Context, id string, forget bool) (int64, *secretmanagerpb.SecretVersion, error) {
	for range casAttempts {
		sn, err := s.load(ctx)
		if err != nil {
			return 0, nil, err
		}
		n, v, err := s.target(ctx, sn, id)
		if err != nil {
			return 0, nil, err
		}
		if sn.stageOf(n) == driver.StageCurrent {
			return 0, nil, coded(driver.CodeConflict, nil, "version %d is current; promote another version first", n)
		}
		rec := sn.records[n]
		marked := rec == nil || rec.Key == "" && rec.MAC == ""
		if !sn.staged(n) && sn.retired.has(n) && (!forget || marked) {
			return n, v, nil // marked already; make sure GCP agrees
		}
		next := sn.clone()
		next.unstage(n)
		next.retired = next.retired.add(n)
		if forget && rec != nil {
			r := *rec
			r.Key, r.MAC = "", ""
			next.records[n] = &r
		}
		err = s.commit(ctx, sn, next)
		if err == nil {
			return n, v, nil
		}
		if _, stale := errors.AsType[*staleError](err); !stale {
			return 0, nil, err
		}
	}
	return 0, nil, coded(driver.CodeUnavailable, nil, "too many concurrent changes to the secret")
}

// disable brings GCP's state of a retired version in line: disabled, or
// destroyed with WithDestroyRetired.
func (s *secret) disable(ctx context.Context, n int64, v *secretmanagerpb.SecretVersion) error {
	var err error
	switch st := v.GetState(); {
	case s.opts.destroyRetired && st != secretmanagerpb.SecretVersion_DESTROYED:
		_, err = s.c.DestroySecretVersion(ctx, &secretmanagerpb.DestroySecretVersionRequest{Name: s.versionName(n)})
	case !s.opts.destroyRetired && st == secretmanagerpb.SecretVersion_ENABLED:
		_, err = s.c.DisableSecretVersion(ctx, &secretmanagerpb.DisableSecretVersionRequest{Name: s.versionName(n)})
	}
	if codeOf(err) == codes.FailedPrecondition {
		return nil // destroyed meanwhile: nothing left to disable
	}
	return err
}
