package azkv

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/require"
)

// fixture is a fake vault, a raw client on it (to see what readers that
// know nothing of snowpat see) and a Store over one secret.
type fixture struct {
	srv  *azfake.Server
	raw  *azsecrets.Client
	s    *secrets.Store
	name string

	mu     sync.Mutex
	sleeps []time.Duration // the pauses between the adapter's own attempts
}

// newFixture's client does not retry (azfake.NewClient), and the driver's
// pauses between its own attempts of a SetSecret are recorded, not slept.
func newFixture(t *testing.T, opts *Options) *fixture {
	t.Helper()
	srv := azfake.New()
	t.Cleanup(srv.Close)
	raw, err := srv.NewClient()
	require.NoError(t, err)
	f := &fixture{srv: srv, raw: raw, name: "powerbi-prod"}
	d, err := newSecret(raw, f.name, opts)
	require.NoError(t, err)
	d.sleep = f.sleep
	f.s = secrets.NewStore(d)
	t.Cleanup(func() { _ = f.s.Close() })
	return f
}

func (f *fixture) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	return ctx.Err()
}

func (f *fixture) pauses() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sleeps)
}

func (f *fixture) put(t *testing.T, v string, o *secrets.PutOptions) string {
	t.Helper()
	id, err := f.s.Put(t.Context(), []byte(v), o)
	require.NoError(t, err)
	return id
}

func (f *fixture) putPending(t *testing.T, v string) string {
	t.Helper()
	id, err := f.s.PutPending(t.Context(), []byte(v), nil)
	require.NoError(t, err)
	return id
}

// latest is what Power BI or Data Factory would read: the vault's latest
// version, without a version in the URL.
func (f *fixture) latest(t *testing.T) azsecrets.GetSecretResponse {
	t.Helper()
	r, err := f.raw.GetSecret(t.Context(), f.name, "", nil)
	require.NoError(t, err)
	return r
}

// physicals lists every Key Vault version, copies included.
func (f *fixture) physicals(t *testing.T) []*azsecrets.SecretProperties {
	t.Helper()
	var out []*azsecrets.SecretProperties
	for p := f.raw.NewListSecretPropertiesVersionsPager(f.name, nil); p.More(); {
		page, err := p.NextPage(t.Context())
		require.NoError(t, err)
		out = append(out, page.Value...)
	}
	return out
}

func responseError(t *testing.T, err error) *azcore.ResponseError {
	t.Helper()
	re, ok := errors.AsType[*azcore.ResponseError](err)
	require.True(t, ok, "want an *azcore.ResponseError in %v", err)
	return re
}
