package awsfake_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/stretchr/testify/require"
)

// token returns a valid ClientRequestToken built from a short label.
func token(label string) *string {
	return aws.String(label + "-" + strings.Repeat("0", 35-len(label)))
}

func start(t *testing.T) (*awsfake.Server, *secretsmanager.Client) {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	return srv, srv.NewClient()
}

// stages returns DescribeSecret's VersionIdsToStages, as the console shows
// it.
func stages(t *testing.T, c *secretsmanager.Client, name string) map[string][]string {
	t.Helper()
	out, err := c.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
	require.NoError(t, err)
	return out.VersionIdsToStages
}

func put(t *testing.T, c *secretsmanager.Client, name, tok, value string, labels ...string) {
	t.Helper()
	_, err := c.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(name), ClientRequestToken: token(tok), SecretString: aws.String(value), VersionStages: labels,
	})
	require.NoError(t, err)
}
