package awssm

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/snowpat/snowpat/secrets/driver"
)

// labelStaged marks a companion version written but not yet made current:
// it is what keeps PutSecretValue from moving AWSCURRENT on its own, so
// that moving it can be the compare-and-swap.
const labelStaged = "snowpat-staged"

// casAttempts bounds every read-modify-write loop against AWS, so that
// sustained contention ends in an error instead of spinning.
const casAttempts = 64

// readMetadata returns the companion's document for a read. A reader the
// companion refuses (least-privilege credentials that may read the
// secret alone) reads no metadata rather than failing: the values are
// what it came for.
func (s *secret) readMetadata(ctx context.Context) (*indexDoc, error) {
	doc, _, err := s.readIndex(ctx)
	if err != nil && errorCode(err) == driver.CodePermissionDenied {
		return newIndex(), nil
	}
	return doc, err
}

// readIndex returns the companion's current document and the id of the
// version holding it ("" when there is none yet). A companion that is
// missing or scheduled for deletion reads as empty: metadata is lost, the
// values are not, and reads must keep working.
func (s *secret) readIndex(ctx context.Context) (*indexDoc, string, error) {
	out, err := s.c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.index)})
	switch {
	case isType[*types.ResourceNotFoundException](err), isType[*types.InvalidRequestException](err):
		return newIndex(), "", nil
	case err != nil:
		return nil, "", err
	}
	if out.SecretString == nil {
		return nil, "", coded(driver.CodeUnknown, nil, "companion secret %q: %v", s.index, errNotIndex)
	}
	doc, err := parseIndex(*out.SecretString)
	if err != nil {
		return nil, "", coded(driver.CodeUnknown, nil, "companion secret %q: %v", s.index, err)
	}
	return doc, aws.ToString(out.VersionId), nil
}

// updateIndex applies change to the companion's document with
// compare-and-swap: the new document is written as a version labelled
// only labelStaged, then AWSCURRENT is moved onto it with
// RemoveFromVersionId naming the version it was read from, which AWS
// refuses if another writer moved AWSCURRENT meanwhile. A lost race
// re-reads and tries again. change reports whether it changed anything;
// when it did not, nothing is written.
func (s *secret) updateIndex(ctx context.Context, change func(*indexDoc) (bool, error)) error {
	for range casAttempts {
		doc, cur, err := s.readIndex(ctx)
		if err != nil {
			return err
		}
		changed, err := change(doc)
		if err != nil || !changed {
			return err
		}
		body, err := s.fitIndex(ctx, doc)
		if err != nil {
			return err
		}
		done, err := s.swapIndex(ctx, cur, body)
		if done || err != nil {
			return err
		}
	}
	return coded(driver.CodeUnavailable, nil, "companion secret %q: too many concurrent writers", s.index)
}

// fitIndex encodes doc, pruning it first when it has grown large.
func (s *secret) fitIndex(ctx context.Context, doc *indexDoc) (string, error) {
	body, err := doc.encode()
	if err != nil || len(body) <= indexPruneAt {
		return body, err
	}
	vs, err := s.listVersions(ctx)
	if err != nil && errorCode(err) != driver.CodeNotFound {
		return "", err
	}
	mv := make([]mainVersion, len(vs))
	for i, v := range vs {
		mv[i] = mainVersion{id: v.id, labelled: len(v.labels) > 0}
	}
	fits, err := doc.prune(mv, time.Now())
	if err != nil {
		return "", err
	}
	if !fits {
		return "", coded(driver.CodeInvalidArgument, nil, "the metadata of the secret's labelled versions exceeds the 64 KiB a companion secret can hold")
	}
	return doc.encode()
}

// swapIndex writes body over version cur ("" when the companion has no
// current version). It reports false, without error, when another writer
// won the race.
func (s *secret) swapIndex(ctx context.Context, cur, body string) (bool, error) {
	if cur == "" {
		return s.createIndex(ctx, body)
	}
	put, err := s.c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(s.index),
		ClientRequestToken: aws.String(tokenFor("")),
		SecretString:       aws.String(body),
		VersionStages:      []string{labelStaged},
	})
	if err != nil {
		return false, s.indexWriteErr(ctx, err)
	}
	_, err = s.c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId:            aws.String(s.index),
		VersionStage:        aws.String(labelCurrent),
		MoveToVersionId:     put.VersionId,
		RemoveFromVersionId: aws.String(cur),
	})
	if isType[*types.InvalidParameterException](err) {
		return false, nil // AWSCURRENT is no longer on cur: re-read
	}
	if err != nil {
		return false, s.indexWriteErr(ctx, err)
	}
	return true, nil
}

// createIndex makes the companion with body as its first version. If it
// exists already (another writer made it, or it exists without a
// version), the first version anyone writes gets AWSCURRENT from AWS, and
// a write that did not get it lost the race.
func (s *secret) createIndex(ctx context.Context, body string) (bool, error) {
	_, err := s.c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:               aws.String(s.index),
		ClientRequestToken: aws.String(tokenFor("")),
		SecretString:       aws.String(body),
		Description:        aws.String("Per-version metadata of the secret " + s.name + ", kept by snowpat. Do not edit."),
	})
	if err == nil {
		return true, nil
	}
	if !isType[*types.ResourceExistsException](err) {
		return false, s.indexWriteErr(ctx, err)
	}
	put, err := s.c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(s.index),
		ClientRequestToken: aws.String(tokenFor("")),
		SecretString:       aws.String(body),
		VersionStages:      []string{labelStaged},
	})
	if err != nil {
		return false, s.indexWriteErr(ctx, err)
	}
	return slices.Contains(put.VersionStages, labelCurrent), nil
}

// indexWriteErr explains a companion that refuses writes because it is
// scheduled for deletion: its name is reserved, as the secret's would be.
func (s *secret) indexWriteErr(ctx context.Context, err error) error {
	if isType[*types.InvalidRequestException](err) && s.scheduledForDeletion(ctx, s.index) {
		return coded(driver.CodeAlreadyExists, err, "the metadata companion %q is scheduled for deletion; restore or force-delete it", s.index)
	}
	return err
}

// scheduledForDeletion reports whether the secret id exists with a
// deletion date, which is what an InvalidRequestException from most
// operations means for it.
func (s *secret) scheduledForDeletion(ctx context.Context, id string) bool {
	out, err := s.c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(id)})
	return err == nil && out.DeletedDate != nil
}
