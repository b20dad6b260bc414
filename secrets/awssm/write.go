package awssm

import (
	"context"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/snowpat/snowpat/secrets/driver"
)

func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	id, err := s.put(ctx, req)
	if err != nil {
		return "", fail(ctx, err)
	}
	return id, nil
}

// put records the version's metadata in the companion first and writes
// the version second, so that no reader ever finds a version without its
// metadata; a write that fails in between leaves an entry with no version,
// which readers never look up and pruning removes.
//
// The version id is the ClientRequestToken, derived from the idempotency
// key when there is one. AWS itself then settles retries: the same token
// with the same value is a no-op that moves no label, with another value
// a ResourceExistsException. The companion settles metadata the same way:
// an entry under that id with other metadata is a conflict once the
// version exists.
func (s *secret) put(ctx context.Context, req *driver.PutRequest) (string, error) {
	id := tokenFor(req.IdempotencyKey)
	err := s.updateIndex(ctx, func(doc *indexDoc) (bool, error) {
		if e := doc.Versions[id]; e != nil {
			if maps.Equal(e.Metadata, req.Metadata) {
				return false, nil
			}
			exists, err := s.versionExists(ctx, id)
			if err != nil {
				return false, err
			}
			if exists {
				return false, coded(driver.CodeConflict, nil, "the idempotency key was used for version %s with other metadata", id)
			}
			// An entry left by a write that never made its version: ours now.
		}
		doc.set(id, req.Metadata, time.Now())
		return true, nil
	})
	if err != nil {
		return "", err
	}
	return s.putVersion(ctx, id, req)
}

// putVersion writes the value as version id with the stage's label. AWS
// moves the label from whichever version held it and, for AWSCURRENT,
// moves AWSPREVIOUS to the old current version: the whole stage change is
// AWS's one atomic write.
func (s *secret) putVersion(ctx context.Context, id string, req *driver.PutRequest) (string, error) {
	str, bin := encodeValue(req.Value)
	label := labelCurrent
	if req.Pending {
		label = labelPending
	}
	in := &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(s.name), ClientRequestToken: aws.String(id),
		SecretString: str, SecretBinary: bin, VersionStages: []string{label},
	}
	for range 2 {
		out, err := s.c.PutSecretValue(ctx, in)
		switch {
		case err == nil:
			return aws.ToString(out.VersionId), nil
		case isType[*types.ResourceExistsException](err):
			return "", coded(driver.CodeConflict, err, "the idempotency key was used for version %s with another value", id)
		case isType[*types.InvalidRequestException](err) && s.scheduledForDeletion(ctx, s.name):
			return "", coded(driver.CodeAlreadyExists, err, "the secret is scheduled for deletion and AWS keeps its name reserved; restore or force-delete it")
		case !isType[*types.ResourceNotFoundException](err):
			return "", err
		}
		created, err := s.create(ctx, id, str, bin, req.Pending)
		if err != nil || created {
			return id, err
		}
	}
	return "", coded(driver.CodeUnavailable, nil, "the secret was deleted while it was being written")
}

// create makes the secret. A current write creates it with its first
// version in one call; a pending one creates it empty, for the PutSecretValue
// that follows to add the version with AWSPENDING. It reports whether the
// version was written; if someone else created the secret first, it was
// not, and the caller writes it with PutSecretValue.
func (s *secret) create(ctx context.Context, id string, str *string, bin []byte, pending bool) (bool, error) {
	in := &secretsmanager.CreateSecretInput{Name: aws.String(s.name)}
	if !pending {
		in.ClientRequestToken, in.SecretString, in.SecretBinary = aws.String(id), str, bin
	}
	_, err := s.c.CreateSecret(ctx, in)
	switch {
	case err == nil:
		return !pending, nil
	case isType[*types.ResourceExistsException](err):
		return false, nil
	case isType[*types.InvalidRequestException](err) && s.scheduledForDeletion(ctx, s.name):
		return false, coded(driver.CodeAlreadyExists, err, "the secret is scheduled for deletion and AWS keeps its name reserved; restore or force-delete it")
	}
	return false, err
}

// versionExists reports whether the secret has version id.
func (s *secret) versionExists(ctx context.Context, id string) (bool, error) {
	_, err := s.c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.name), VersionId: aws.String(id)})
	switch {
	case err == nil:
		return true, nil
	case isType[*types.ResourceNotFoundException](err):
		return false, nil
	}
	return false, s.readErr(ctx, err)
}
