package awssm

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/snowpat/snowpat/secrets/driver"
)

// awsVersion is a version as ListSecretVersionIds reports it.
type awsVersion struct {
	id      string
	labels  []string
	created time.Time
}

func (v *awsVersion) has(label string) bool { return slices.Contains(v.labels, label) }

func errNoSecret(err error) error {
	return coded(driver.CodeNotFound, err, "the secret does not exist")
}

// listVersions returns every version of the secret, deprecated ones
// included. A secret that is missing, scheduled for deletion or without a
// version does not exist as far as the driver is concerned.
func (s *secret) listVersions(ctx context.Context) ([]*awsVersion, error) {
	desc, err := s.c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(s.name)})
	switch {
	case isType[*types.ResourceNotFoundException](err):
		return nil, errNoSecret(err)
	case err != nil:
		return nil, err
	case desc.DeletedDate != nil:
		return nil, coded(driver.CodeNotFound, nil, "the secret is scheduled for deletion")
	}
	var vs []*awsVersion
	in := &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String(s.name), IncludeDeprecated: aws.Bool(true), MaxResults: aws.Int32(100)}
	for {
		out, err := s.c.ListSecretVersionIds(ctx, in)
		if err != nil {
			return nil, s.readErr(ctx, err)
		}
		for _, e := range out.Versions {
			vs = append(vs, &awsVersion{id: aws.ToString(e.VersionId), labels: e.VersionStages, created: aws.ToTime(e.CreatedDate)})
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(vs) == 0 {
		return nil, errNoSecret(nil)
	}
	return vs, nil
}

// readErr turns the InvalidRequestException AWS gives for reads of a
// secret scheduled for deletion into not-found: to readers the secret is
// gone.
func (s *secret) readErr(ctx context.Context, err error) error {
	if isType[*types.InvalidRequestException](err) && s.scheduledForDeletion(ctx, s.name) {
		return coded(driver.CodeNotFound, err, "the secret is scheduled for deletion")
	}
	return err
}

func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := s.get(ctx, sel)
	if err != nil {
		return nil, fail(ctx, err)
	}
	return v, nil
}

func (s *secret) get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.name)}
	if sel.ID != "" {
		if !plausibleID(sel.ID) {
			return nil, coded(driver.CodeNotFound, nil, "no version %q: AWS version ids are 32 to 64 characters", sel.ID)
		}
		in.VersionId = aws.String(sel.ID)
	} else {
		in.VersionStage = aws.String(labelFor(sel.Stage))
	}
	out, err := s.c.GetSecretValue(ctx, in)
	if err != nil {
		return nil, s.readErr(ctx, err)
	}
	only := false
	if slices.Contains(out.VersionStages, labelCurrent) && slices.Contains(out.VersionStages, labelPending) {
		if only, err = s.onlyVersion(ctx); err != nil {
			return nil, err
		}
	}
	st := stageOf(out.VersionStages, only)
	if sel.ID == "" && st != sel.Stage {
		// The label is on a version that reports a stronger stage:
		// AWSPENDING left on the current version, say. No version holds
		// the stage asked for.
		return nil, coded(driver.CodeNotFound, nil, "no version is %s", sel.Stage)
	}
	idx, err := s.readMetadata(ctx)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(out.VersionId)
	return &driver.Version{
		VersionInfo: driver.VersionInfo{
			ID: id, Stage: st, Created: aws.ToTime(out.CreatedDate), Enabled: true, Metadata: idx.metadata(id),
		},
		Value: decodeValue(out.SecretString, out.SecretBinary),
	}, nil
}

// onlyVersion reports whether the secret has exactly one version, for
// stageOf's rule about first versions. A reader not allowed to list
// versions gets AWS's view: the version is current.
func (s *secret) onlyVersion(ctx context.Context) (bool, error) {
	out, err := s.c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{
		SecretId: aws.String(s.name), IncludeDeprecated: aws.Bool(true), MaxResults: aws.Int32(2),
	})
	if err != nil && errorCode(err) == driver.CodePermissionDenied {
		return false, nil
	}
	if err != nil {
		return false, s.readErr(ctx, err)
	}
	return len(out.Versions) == 1, nil
}

func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := s.list(ctx)
	if err != nil {
		return nil, fail(ctx, err)
	}
	return out, nil
}

func (s *secret) list(ctx context.Context) ([]*driver.VersionInfo, error) {
	vs, err := s.listVersions(ctx)
	if err != nil {
		return nil, err
	}
	idx, err := s.readMetadata(ctx)
	if err != nil {
		return nil, err
	}
	// CreatedDate has millisecond precision; the companion's sequence
	// numbers order versions written within the same millisecond.
	slices.SortStableFunc(vs, func(a, b *awsVersion) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return cmp.Compare(idx.seq(a.id), idx.seq(b.id))
	})
	out := make([]*driver.VersionInfo, len(vs))
	for i, v := range vs {
		out[i] = &driver.VersionInfo{
			ID: v.id, Stage: stageOf(v.labels, len(vs) == 1), Created: v.created, Enabled: true, Metadata: idx.metadata(v.id),
		}
	}
	return out, nil
}
