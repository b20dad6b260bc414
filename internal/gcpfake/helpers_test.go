package gcpfake_test

import (
	"context"
	"testing"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const secretName = "projects/p/secrets/s"

func start(t *testing.T) (*gcpfake.Server, *secretmanager.Client) {
	t.Helper()
	srv := gcpfake.New()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return srv, c
}

func create(t *testing.T, c *secretmanager.Client) *secretmanagerpb.Secret {
	t.Helper()
	sec, err := c.CreateSecret(context.Background(), &secretmanagerpb.CreateSecretRequest{
		Parent: "projects/p", SecretId: "s",
		Secret: &secretmanagerpb.Secret{Replication: &secretmanagerpb.Replication{
			Replication: &secretmanagerpb.Replication_Automatic_{Automatic: &secretmanagerpb.Replication_Automatic{}},
		}},
	})
	require.NoError(t, err)
	return sec
}

func add(t *testing.T, c *secretmanager.Client, data string) *secretmanagerpb.SecretVersion {
	t.Helper()
	v, err := c.AddSecretVersion(context.Background(), &secretmanagerpb.AddSecretVersionRequest{
		Parent: secretName, Payload: &secretmanagerpb.SecretPayload{Data: []byte(data)},
	})
	require.NoError(t, err)
	return v
}

func code(err error) codes.Code { return status.Code(err) }
