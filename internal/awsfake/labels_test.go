package awsfake_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rotation as Secrets Manager's own rotation performs it: AWSPENDING
// written, AWSCURRENT moved with RemoveFromVersionId, AWSPREVIOUS moved by
// the service.
func TestRotationLabels(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("db"), ClientRequestToken: token("a"), SecretString: aws.String("one")})
	require.NoError(t, err)
	put(t, c, "db", "b", "two")
	assert.Equal(t, map[string][]string{*token("a"): {"AWSPREVIOUS"}, *token("b"): {"AWSCURRENT"}}, stages(t, c, "db"))

	put(t, c, "db", "p", "three", "AWSPENDING")
	assert.Equal(t, []string{"AWSPENDING"}, stages(t, c, "db")[*token("p")])

	// Moving AWSCURRENT with the wrong RemoveFromVersionId fails and
	// changes nothing.
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String("db"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: token("p"), RemoveFromVersionId: token("a"),
	})
	var ipe *types.InvalidParameterException
	require.ErrorAs(t, err, &ipe)
	// So does moving it without RemoveFromVersionId.
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String("db"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: token("p"),
	})
	require.ErrorAs(t, err, &ipe)

	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String("db"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: token("p"), RemoveFromVersionId: token("b"),
	})
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{*token("b"): {"AWSPREVIOUS"}, *token("p"): {"AWSPENDING", "AWSCURRENT"}}, stages(t, c, "db"),
		"the old previous is deprecated, the old current previous, and AWSPENDING stays until removed")

	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String("db"), VersionStage: aws.String("AWSPENDING"), RemoveFromVersionId: token("p"),
	})
	require.NoError(t, err)
	_, err = c.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String("db"), VersionStage: aws.String("AWSCURRENT"), RemoveFromVersionId: token("p"),
	})
	require.ErrorAs(t, err, &ipe, "AWSCURRENT cannot be removed, only moved")

	// The deprecated version is listed only on request and stays readable.
	list, err := c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("db")})
	require.NoError(t, err)
	assert.Len(t, list.Versions, 2)
	list, err = c.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: aws.String("db"), IncludeDeprecated: aws.Bool(true)})
	require.NoError(t, err)
	assert.Len(t, list.Versions, 3)
	got, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("db"), VersionId: token("a")})
	require.NoError(t, err)
	assert.Equal(t, "one", *got.SecretString)
	assert.Empty(t, got.VersionStages)
}

// The first version of a secret gets AWSCURRENT even when the write asked
// only for AWSPENDING.
func TestFirstVersionIsCurrent(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("empty")})
	require.NoError(t, err)
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("empty")})
	var rnf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &rnf, "a secret created without a value has no version")

	put(t, c, "empty", "p", "first", "AWSPENDING")
	assert.ElementsMatch(t, []string{"AWSPENDING", "AWSCURRENT"}, stages(t, c, "empty")[*token("p")])
}

// A reused ClientRequestToken with the same value is a no-op that moves no
// label; with another value it fails.
func TestTokenReuse(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("k"), ClientRequestToken: token("a"), SecretString: aws.String("one")})
	require.NoError(t, err)
	put(t, c, "k", "b", "two")
	before := stages(t, c, "k")

	out, err := c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("k"), ClientRequestToken: token("a"), SecretString: aws.String("one")})
	require.NoError(t, err)
	assert.Equal(t, *token("a"), *out.VersionId)
	assert.Equal(t, []string{"AWSPREVIOUS"}, out.VersionStages)
	assert.Equal(t, before, stages(t, c, "k"), "a replayed write moves no label")

	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("k"), ClientRequestToken: token("a"), SecretString: aws.String("other")})
	var ree *types.ResourceExistsException
	require.ErrorAs(t, err, &ree)
	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("k"), ClientRequestToken: token("a"), SecretBinary: []byte("one")})
	require.ErrorAs(t, err, &ree, "a binary value is not the same as a string one")

	_, err = c.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("k"), ClientRequestToken: aws.String("short"), SecretString: aws.String("x")})
	assert.ErrorContains(t, err, "ValidationException", "tokens are 32 to 64 characters")
	assert.Equal(t, 5, srv.Calls("PutSecretValue"))
}
