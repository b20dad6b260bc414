package awssm

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/snowpat/snowpat/secrets/driver"
)

func (s *secret) Promote(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fail(ctx, s.retrying(ctx, func(vs []*awsVersion) (bool, error) { return s.promoteStep(ctx, vs, id) }))
}

func (s *secret) Retire(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fail(ctx, s.retrying(ctx, func(vs []*awsVersion) (bool, error) { return s.retireStep(ctx, vs, id) }))
}

// retrying runs step on fresh listings of the versions until it reports
// done. Label moves are checked by AWS against the version named in
// RemoveFromVersionId, so a step that raced with another writer is
// refused without changing anything, and the next attempt decides again
// on what is there now. A refusal that the next listing does not explain
// (the labels are where they were) was not a race, and is returned.
func (s *secret) retrying(ctx context.Context, step func([]*awsVersion) (bool, error)) error {
	var before []*awsVersion
	var refused error
	for range casAttempts {
		vs, err := s.listVersions(ctx)
		if err != nil {
			return err
		}
		if refused != nil && sameLabels(before, vs) {
			return coded(driver.CodeConflict, refused, "AWS refused the label move")
		}
		done, err := step(vs)
		if r, ok := errors.AsType[*refusal](err); ok {
			before, refused = vs, r.err
			continue
		}
		if done || err != nil {
			return err
		}
	}
	return coded(driver.CodeUnavailable, nil, "too many concurrent changes to the secret's labels")
}

// refusal is a label move AWS refused, which a re-read may explain.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

func sameLabels(a, b []*awsVersion) bool {
	return slices.EqualFunc(a, b, func(x, y *awsVersion) bool {
		return x.id == y.id && slices.Equal(x.labels, y.labels)
	})
}

func find(vs []*awsVersion, id string) *awsVersion {
	for _, v := range vs {
		if v.id == id {
			return v
		}
	}
	return nil
}

func holder(vs []*awsVersion, label string) *awsVersion {
	for _, v := range vs {
		if v.has(label) {
			return v
		}
	}
	return nil
}

// promoteStep moves AWSCURRENT to id with one UpdateSecretVersionStage,
// naming the version it leaves in RemoveFromVersionId: that call is the
// promotion, atomic, and AWS moves AWSPREVIOUS to the old current version
// in it (taking it from id, for a rollback). A second call takes
// AWSPENDING off id; until it lands, id holds both labels and reads as
// current, with no pending version, which is already the final state, so
// a failure between the two leaves nothing for readers to trip on, and a
// retried Promote removes the leftover label.
func (s *secret) promoteStep(ctx context.Context, vs []*awsVersion, id string) (bool, error) {
	v := find(vs, id)
	if v == nil {
		return false, coded(driver.CodeNotFound, nil, "no version %q", id)
	}
	if stageOf(v.labels, len(vs) == 1) == driver.StageCurrent && !v.has(labelPending) {
		return true, nil // promoting the current version changes nothing
	}
	// A current version still carrying AWSPENDING is a promotion that
	// was interrupted between its two calls (or AWS's own rotation before
	// its clean-up): finishing it changes nothing readers see.
	if !v.has(labelCurrent) {
		in := &secretsmanager.UpdateSecretVersionStageInput{
			SecretId: aws.String(s.name), VersionStage: aws.String(labelCurrent), MoveToVersionId: aws.String(id),
		}
		if cur := holder(vs, labelCurrent); cur != nil {
			in.RemoveFromVersionId = aws.String(cur.id)
		}
		if done, err := s.moveLabel(ctx, in); !done {
			return false, err
		}
	}
	if v.has(labelPending) {
		// Someone may have staged a newer pending version meanwhile, and
		// AWS then refuses to take the label from id: as it should.
		_, err := s.c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
			SecretId: aws.String(s.name), VersionStage: aws.String(labelPending), RemoveFromVersionId: aws.String(id),
		})
		if err != nil && !isType[*types.InvalidParameterException](err) {
			return false, s.readErr(ctx, err)
		}
	}
	return true, nil
}

// retireStep takes AWSPENDING and AWSPREVIOUS off id, one
// UpdateSecretVersionStage each, with RemoveFromVersionId naming id so
// that a label that moved meanwhile is left alone. AWS cannot disable a
// version: a retired one stays readable by id, unlabelled, until AWS
// purges it as deprecated.
func (s *secret) retireStep(ctx context.Context, vs []*awsVersion, id string) (bool, error) {
	v := find(vs, id)
	switch {
	case v == nil:
		return false, coded(driver.CodeNotFound, nil, "no version %q", id)
	case v.has(labelCurrent) && v.has(labelPending) && len(vs) == 1:
		return false, coded(driver.CodeConflict, nil, "version %s is pending but, as the secret's only version, AWS also made it AWSCURRENT, which cannot be removed; promote it or delete the secret", id)
	case v.has(labelCurrent):
		return false, coded(driver.CodeConflict, nil, "version %s is current; promote another version before retiring it", id)
	}
	for _, label := range []string{labelPending, labelPrevious} {
		if !v.has(label) {
			continue
		}
		done, err := s.moveLabel(ctx, &secretsmanager.UpdateSecretVersionStageInput{
			SecretId: aws.String(s.name), VersionStage: aws.String(label), RemoveFromVersionId: aws.String(id),
		})
		if !done {
			return false, err
		}
	}
	return true, nil
}

// moveLabel runs one UpdateSecretVersionStage. It reports done, or a
// *refusal when AWS refused the move in a way a concurrent change can
// explain (the label no longer where the caller saw it, a version purged
// or the secret deleted meanwhile), so that the caller re-reads.
func (s *secret) moveLabel(ctx context.Context, in *secretsmanager.UpdateSecretVersionStageInput) (bool, error) {
	_, err := s.c.UpdateSecretVersionStage(ctx, in)
	switch {
	case err == nil:
		return true, nil
	case isType[*types.InvalidParameterException](err), isType[*types.ResourceNotFoundException](err),
		isType[*types.InvalidRequestException](err):
		return false, &refusal{err: err}
	}
	return false, err
}
