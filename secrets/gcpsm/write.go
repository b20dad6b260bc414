package gcpsm

import (
	"context"
	"errors"
	"hash/crc32"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/grpc/codes"
)

// casAttempts bounds every compare-and-swap loop, so that sustained
// contention ends in an error instead of spinning.
const casAttempts = 64

// cleanupTimeout bounds the work of undoing a failed write, which runs
// even when the caller's context is done.
const cleanupTimeout = 30 * time.Second

func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	return s.PutIf(ctx, req, driver.Precondition{})
}

// PutIf writes with compare-and-swap when pre is set; the zero
// Precondition (which the portable layer never passes to PutIf) means
// none, which is how Put shares the code.
func (s *secret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var p *driver.Precondition
	if pre.Absent || pre.CurrentID != "" {
		p = &pre
	}
	id, err := s.put(ctx, req, p)
	if err != nil {
		return "", fail(ctx, err)
	}
	return id, nil
}

// put adds the version, then records and stages it with one UpdateSecret
// carrying the etag of the snapshot it was computed from: that update is
// the commit, and the only step readers can see. The idempotency key and
// the precondition are checked against that same snapshot, so they hold
// at the instant of the commit; a lost race re-reads and checks again.
// They are also checked before the version is added, so that the common
// refusals leave nothing behind. A write that fails after adding its
// version marks the version aborted (hidden for good) and destroys it.
func (s *secret) put(ctx context.Context, req *driver.PutRequest, pre *driver.Precondition) (string, error) {
	sn, err := s.loadForWrite(ctx, pre)
	if err != nil {
		return "", err
	}
	if id, done, err := sn.replay(req); done {
		return id, err
	}
	if pre != nil {
		if err := sn.check(*pre); err != nil {
			return "", err
		}
	}
	n, created, err := s.addVersion(ctx, req.Value)
	if err != nil {
		return "", err
	}
	for range casAttempts {
		if sn.records[n] != nil || sn.pruned.has(n) {
			// Only this write records version n: its commit landed,
			// although the answer was lost and a resend was refused as
			// stale (a client configured to retry UpdateSecret). Committing
			// again would move the stages a second time.
			return formatID(n), nil
		}
		id, done, err := sn.replay(req)
		if done {
			return s.abandon(ctx, n, id, err)
		}
		if pre != nil {
			if err := sn.check(*pre); err != nil {
				return s.abandon(ctx, n, "", err)
			}
		}
		next := sn.clone()
		next.records[n] = newRecord(req, created)
		if req.Pending {
			next.unstage(n)
			next.aliases[aliasPending] = n
		} else {
			next.makeCurrent(n)
		}
		err = s.commit(ctx, sn, next)
		var stale *staleError
		switch {
		case err == nil:
			return formatID(n), nil
		case errors.As(err, &stale):
			if sn, err = s.reload(ctx, sn, err); err != nil {
				return s.settle(ctx, n, err)
			}
		case errorCode(err) == driver.CodeInvalidArgument:
			return s.abandon(ctx, n, "", err)
		case errorCode(err) == driver.CodeNotFound:
			// Deleted meanwhile, with the version: a retry starts afresh.
			return "", coded(driver.CodeUnavailable, err, "the secret was deleted while it was being written")
		default:
			return s.settle(ctx, n, err)
		}
	}
	return s.abandon(ctx, n, "", coded(driver.CodeUnavailable, nil, "too many concurrent writers"))
}

// loadForWrite reads the snapshot, creating the secret if the write may
// create it (a write guarded by IfCurrent may not: there is no current
// version to match, so it conflicts). Creating is safe to repeat, since
// a secret that exists is simply loaded: a CreateSecret whose outcome is
// unknown (the server may have created the secret and then failed to
// answer) is settled by loading again.
func (s *secret) loadForWrite(ctx context.Context, pre *driver.Precondition) (*snapshot, error) {
	var unknown error
	for range 3 {
		sn, err := s.load(ctx)
		if errorCode(err) != driver.CodeNotFound {
			return sn, err
		}
		if pre != nil && !pre.Absent {
			return nil, coded(driver.CodeConflict, nil, "precondition failed: the secret does not exist")
		}
		_, err = s.c.CreateSecret(ctx, &secretmanagerpb.CreateSecretRequest{
			Parent: s.parent, SecretId: s.id, Secret: &secretmanagerpb.Secret{Replication: s.opts.replication},
		})
		switch {
		case err == nil, codeOf(err) == codes.AlreadyExists:
		case outcomeUnknown(ctx, err):
			unknown = err
		default:
			return nil, err
		}
	}
	if unknown != nil {
		return nil, unknown
	}
	return nil, coded(driver.CodeUnavailable, nil, "the secret was deleted while it was being created")
}

// outcomeUnknown reports whether a call that failed with err may have
// been carried out: the server or the connection failed after the request
// left, and the caller's context is not the reason.
func outcomeUnknown(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	switch codeOf(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Internal, codes.Unknown, codes.Canceled:
		return true
	}
	return false
}

// addVersion adds the value as a new version, with a checksum the server
// verifies, and returns its number and creation time.
func (s *secret) addVersion(ctx context.Context, value []byte) (int64, time.Time, error) {
	crc := int64(crc32.Checksum(value, castagnoli))
	v, err := s.c.AddSecretVersion(ctx, &secretmanagerpb.AddSecretVersionRequest{
		Parent: s.name, Payload: &secretmanagerpb.SecretPayload{Data: value, DataCrc32C: &crc},
	})
	if err != nil {
		if codeOf(err) == codes.NotFound {
			return 0, time.Time{}, coded(driver.CodeUnavailable, err, "the secret was deleted while it was being written")
		}
		return 0, time.Time{}, err
	}
	n, ok := versionNumber(v.GetName())
	if !ok {
		return 0, time.Time{}, coded(driver.CodeUnknown, nil, "GCP returned a version name without a number")
	}
	return n, v.GetCreateTime().AsTime(), nil
}
