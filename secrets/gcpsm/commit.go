package gcpsm

import (
	"context"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

// commit writes next's aliases and annotations over sn's with sn's etag.
// A refusal that may be a stale etag comes back as a *staleError: the
// caller re-reads and, if the etag did not change after all, gives up
// with the refusal's own error.
func (s *secret) commit(ctx context.Context, sn, next *snapshot) error {
	if sn.etag == "" {
		// Without an etag the update would be unconditional: every
		// guarantee above would silently lapse.
		return coded(driver.CodeUnknown, nil, "GCP returned the secret without an etag; refusing an unguarded update")
	}
	ann, err := next.annotations()
	if err != nil {
		return err
	}
	_, err = s.c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{
		Secret: &secretmanagerpb.Secret{
			Name: s.name, Etag: sn.etag, VersionAliases: next.aliases, Annotations: ann,
		},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"version_aliases", "annotations"}},
	})
	switch codeOf(err) {
	case codes.OK:
		return nil
	case codes.Aborted, codes.FailedPrecondition:
		// ABORTED is AIP-154's answer to a stale etag; services that
		// predate it answer FAILED_PRECONDITION, which is also what an
		// alias naming a destroyed version gets.
		return &staleError{err: err}
	}
	return err
}

type staleError struct{ err error }

func (e *staleError) Error() string { return e.err.Error() }
func (e *staleError) Unwrap() error { return e.err }

// reload re-reads the snapshot after a commit refused as stale. If the
// etag has not changed, the refusal was about something else, and its
// error is returned as a conflict.
func (s *secret) reload(ctx context.Context, old *snapshot, refusal error) (*snapshot, error) {
	sn, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	if sn.etag == old.etag {
		return nil, coded(driver.CodeConflict, refusal, "GCP refused the update")
	}
	return sn, nil
}
