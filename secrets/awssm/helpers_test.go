package awssm

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/require"
)

// fixture is a fake, a real client for it and a Store over one secret.
type fixture struct {
	srv    *awsfake.Server
	client *secretsmanager.Client
	store  *secrets.Store
	name   string
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv, client: srv.NewClient(), name: "team/powerbi"}
	var err error
	f.store, err = New(f.client, f.name, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.store.Close() })
	return f
}

// labels is what the console shows: DescribeSecret's VersionIdsToStages.
func (f *fixture) labels(t *testing.T) map[string][]string {
	t.Helper()
	out, err := f.client.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: aws.String(f.name)})
	require.NoError(t, err)
	return out.VersionIdsToStages
}

func (f *fixture) raw(t *testing.T, in *secretsmanager.GetSecretValueInput) *secretsmanager.GetSecretValueOutput {
	t.Helper()
	if in.SecretId == nil {
		in.SecretId = aws.String(f.name)
	}
	out, err := f.client.GetSecretValue(context.Background(), in)
	require.NoError(t, err)
	return out
}
