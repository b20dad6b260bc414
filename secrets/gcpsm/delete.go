package gcpsm

import (
	"context"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/grpc/codes"
)

// Delete deletes the secret with every version and annotation; GCP frees
// the name at once. A secret without a visible version does not exist for
// the driver: it is reported missing, and the empty shell a failed first
// write may have left is deleted all the same.
func (s *secret) Delete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, _, err := s.list(ctx)
	missing := errorCode(err) == driver.CodeNotFound
	if err != nil && !missing {
		return fail(ctx, err)
	}
	err = s.c.DeleteSecret(ctx, &secretmanagerpb.DeleteSecretRequest{Name: s.name})
	switch {
	case missing:
		return coded(driver.CodeNotFound, nil, "the secret does not exist")
	case codeOf(err) == codes.NotFound:
		return fail(ctx, coded(driver.CodeNotFound, err, "the secret does not exist"))
	}
	return fail(ctx, err)
}
