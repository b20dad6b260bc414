package powerbi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/powerbi"
)

// A token the API stopped accepting (401) is replaced once; a credential
// that cannot get a token, or one for another scope, is
// ErrUnauthenticated.
func TestTokens(t *testing.T) {
	e := newEnv(t)
	id := e.model("Cloud", e.fake.AddCloudGateway())
	secret := e.sf.AddToken(t)
	ctx := context.Background()
	d := e.open(e.url(id))
	_, err := d.Push(ctx, e.cred2(secret))
	require.NoError(t, err)
	require.Equal(t, 1, e.cred.Issued(), "azcore caches the token")

	e.fake.ExpireTokens()
	_, err = d.Push(ctx, e.cred2(secret))
	require.NoError(t, err)
	assert.Equal(t, 2, e.cred.Issued(), "a fresh token after the 401")

	e.cred.SetError(errors.New("AADSTS7000222: the client secret has expired"))
	e.fake.ExpireTokens()
	_, err = d.Push(ctx, e.cred2(secret))
	require.ErrorIs(t, err, push.ErrUnauthenticated)
	var te *powerbi.TokenError
	require.ErrorAs(t, err, &te)
	e.cred.SetError(nil)

	_, err = e.open(e.url(id, "scope=https%3A%2F%2Fvault.azure.net%2F.default")).Push(ctx, e.cred2(secret))
	require.ErrorIs(t, err, push.ErrUnauthenticated)
	assert.Contains(t, err.Error(), "InvalidToken")
	assert.Equal(t, 2, e.fake.Credentials(e.fake.Datasources(id)[0].Gateway, e.fake.Datasources(id)[0].ID).Updates)
}

// Throttling is retried after Retry-After; a lost answer to an update, or
// an error after it committed, is retried safely.
func TestRetries(t *testing.T) {
	e := newEnv(t)
	gw := e.fake.AddGateway(powerbifake.Gateway{Name: "gw", Admins: []string{principal}})
	id := e.model("Corp", gw)
	secret := e.sf.AddToken(t)
	e.fake.FailNext(powerbifake.OpGetDatasourcesInGroup, powerbifake.ErrThrottled)
	e.fake.DropNext(powerbifake.OpUpdateDatasource)
	e.fake.FailAfterNext(powerbifake.OpUpdateDatasource, powerbifake.ErrUnavailable)
	_, err := e.open(e.url(id)).Push(context.Background(), e.cred2(secret))
	require.NoError(t, err)
	waits := e.clock.Waits()
	require.Len(t, waits, 3)
	assert.Equal(t, 2e9, float64(waits[0]), "Retry-After: 2")
	src := e.fake.Datasources(id)[0]
	assert.Equal(t, 3, e.fake.Credentials(src.Gateway, src.ID).Updates)
	require.NoError(t, e.fake.RefreshDataset(context.Background(), id))
}
