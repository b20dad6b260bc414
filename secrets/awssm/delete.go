package awssm

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Delete deletes the secret and its metadata companion, with AWS's
// recovery window unless WithForceDelete was given. A secret without a
// version does not exist for the driver, so it is reported missing and
// left alone: deleting it would reserve its name for the recovery window.
func (s *secret) Delete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := s.listVersions(ctx); err != nil {
		return fail(ctx, err)
	}
	if _, err := s.c.DeleteSecret(ctx, s.deleteInput(s.name)); err != nil {
		return fail(ctx, s.readErr(ctx, err))
	}
	// The companion goes too, best effort: the secret is already gone, and
	// a companion left behind only holds entries no new version can match
	// (a recreated secret's versions are new ids, or a keyed write's id,
	// which put re-checks against the secret).
	_, _ = s.c.DeleteSecret(ctx, s.deleteInput(s.index))
	return nil
}

func (s *secret) deleteInput(id string) *secretsmanager.DeleteSecretInput {
	in := &secretsmanager.DeleteSecretInput{SecretId: aws.String(id)}
	switch {
	case s.opts.force:
		in.ForceDeleteWithoutRecovery = aws.Bool(true)
	case s.opts.recoveryDays != 0:
		in.RecoveryWindowInDays = aws.Int64(s.opts.recoveryDays)
	}
	return in
}
