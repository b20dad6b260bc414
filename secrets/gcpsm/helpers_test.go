package gcpsm

import (
	"context"
	"testing"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/require"
)

const testName = "projects/test/secrets/powerbi"

// fixture is a fake, a real client for it, the driver and a Store over it.
type fixture struct {
	srv    *gcpfake.Server
	client *secretmanager.Client
	d      *secret
	store  *secrets.Store
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	srv := gcpfake.New()
	t.Cleanup(srv.Close)
	client, err := srv.NewClient(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	d, err := newSecret(client, testName, opts...)
	require.NoError(t, err)
	return &fixture{srv: srv, client: client, d: d, store: secrets.NewStore(d)}
}

func (f *fixture) secret(t *testing.T) *secretmanagerpb.Secret {
	t.Helper()
	sec, err := f.client.GetSecret(context.Background(), &secretmanagerpb.GetSecretRequest{Name: testName})
	require.NoError(t, err)
	return sec
}

func (f *fixture) version(t *testing.T, id string) *secretmanagerpb.SecretVersion {
	t.Helper()
	v, err := f.client.GetSecretVersion(context.Background(), &secretmanagerpb.GetSecretVersionRequest{Name: testName + "/versions/" + id})
	require.NoError(t, err)
	return v
}
