package gcpsm

import (
	"context"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/grpc/codes"
)

var _ driver.Destroyer = (*secret)(nil)

// Destroy erases version id with DestroySecretVersion, after the same
// commit Retire makes (its aliases off, marked retired) with its
// idempotency marks dropped as well: from that commit on no reader sees
// the version, Promote refuses it and a write with its key writes anew.
// The record keeps the version's creation time and metadata, so List
// reports it, disabled, for as long as GCP lists it (GCP keeps destroyed
// versions, without their payload). A Destroy interrupted between the
// commit and the destroy is finished by a retry.
//
// On a secret with delayed destruction (version_destroy_ttl), GCP only
// disables the version and schedules its destruction: until then an
// administrator can restore it, and the payload still exists.
func (s *secret) Destroy(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fail(ctx, s.destroy(ctx, id))
}

func (s *secret) destroy(ctx context.Context, id string) error {
	n, v, err := s.markRetired(ctx, id, true)
	if err != nil {
		return err
	}
	if v.GetState() == secretmanagerpb.SecretVersion_DESTROYED {
		return nil
	}
	_, err = s.c.DestroySecretVersion(ctx, &secretmanagerpb.DestroySecretVersionRequest{Name: s.versionName(n)})
	if codeOf(err) == codes.FailedPrecondition {
		// Destroyed meanwhile, by a concurrent Destroy or by hand, is
		// done; any other refusal is the caller's to see.
		if v, gerr := s.getVersion(ctx, n); gerr == nil && v.GetState() == secretmanagerpb.SecretVersion_DESTROYED {
			return nil
		}
	}
	return err
}
