package awsfake_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A secret scheduled for deletion refuses reads and writes, keeps its name
// reserved, says so in DescribeSecret, and comes back with RestoreSecret;
// forcing deletes it at once, even when already scheduled.
func TestScheduledDeletion(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("d"), SecretString: aws.String("v")})
	require.NoError(t, err)
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("d"), RecoveryWindowInDays: aws.Int64(3)})
	var ipe *types.InvalidParameterException
	require.ErrorAs(t, err, &ipe, "the window is 7 to 30 days")
	del, err := c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("d")})
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(30*24*time.Hour), *del.DeletionDate, time.Minute)

	var ire *types.InvalidRequestException
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("d")})
	require.ErrorAs(t, err, &ire)
	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("d"), SecretString: aws.String("w")})
	require.ErrorAs(t, err, &ire)
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("d"), SecretString: aws.String("w")})
	require.ErrorAs(t, err, &ire, "the name stays reserved")
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("d")})
	require.ErrorAs(t, err, &ire, "already scheduled")
	desc, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("d")})
	require.NoError(t, err)
	assert.NotNil(t, desc.DeletedDate)

	_, err = c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String("d")})
	require.NoError(t, err)
	got, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: desc.ARN})
	require.NoError(t, err, "readable again, by ARN too")
	assert.Equal(t, "v", *got.SecretString)

	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("d")})
	require.NoError(t, err)
	_, err = c.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("d"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	var rnf *types.ResourceNotFoundException
	_, err = c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("d")})
	require.ErrorAs(t, err, &rnf)
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("d"), SecretString: aws.String("w")})
	require.NoError(t, err, "the name is free after a forced deletion")
}

// Deprecated versions are purged beyond 100 versions once older than a
// day, by the server's clock; labelled ones never are.
func TestPurgeDeprecated(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("p"), ClientRequestToken: token("first"), SecretString: aws.String("v")})
	require.NoError(t, err)
	for i := range 105 {
		put(t, c, "p", fmt.Sprintf("v%d", i), "v")
	}
	count := func() int {
		out, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("p"), IncludeDeprecated: aws.Bool(true), MaxResults: aws.Int32(100)})
		require.NoError(t, err)
		n := len(out.Versions)
		for out.NextToken != nil {
			out, err = c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("p"), IncludeDeprecated: aws.Bool(true), NextToken: out.NextToken})
			require.NoError(t, err)
			n += len(out.Versions)
		}
		return n
	}
	assert.Equal(t, 106, count(), "nothing younger than a day is purged")
	mu.Lock()
	now = now.Add(25 * time.Hour)
	mu.Unlock()
	put(t, c, "p", "late", "v")
	assert.Equal(t, 100, count())
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("p"), VersionId: token("first")})
	var rnf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &rnf, "the oldest deprecated version went first")
}

func TestTags(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("t"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("bi")}}})
	require.NoError(t, err)
	_, err = c.TagResource(ctx, &secretsmanager.TagResourceInput{SecretId: aws.String("t"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}, {Key: aws.String("env"), Value: aws.String("prod")}}})
	require.NoError(t, err)
	_, err = c.UntagResource(ctx, &secretsmanager.UntagResourceInput{SecretId: aws.String("t"), TagKeys: []string{"env"}})
	require.NoError(t, err)
	desc, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("t")})
	require.NoError(t, err)
	require.Len(t, desc.Tags, 1)
	assert.Equal(t, "data", *desc.Tags[0].Value)

	list, err := c.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	require.NoError(t, err)
	require.Len(t, list.SecretList, 1)
	assert.Equal(t, "t", *list.SecretList[0].Name)
}
