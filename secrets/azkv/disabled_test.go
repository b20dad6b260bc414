package azkv

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Retire disables the version and every copy of it: the vault answers
// 403 Forbidden, inner code SecretDisabled, which the Store reports as
// ErrNotFound with the 403 reachable through ErrorAs.
func TestRetiredVersionIsDisabled(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	p := f.putPending(t, "pat-p")
	require.NoError(t, f.s.Promote(ctx, p)) // writes a copy of p
	require.NoError(t, f.s.Promote(ctx, a)) // and of a
	require.NoError(t, f.s.Promote(ctx, p)) // and of p again; a is previous
	require.NoError(t, f.s.Retire(ctx, a))

	_, err := f.raw.GetSecret(ctx, f.name, a, nil)
	re := responseError(t, err)
	assert.Equal(t, http.StatusForbidden, re.StatusCode)
	assert.True(t, isDisabled(re), "inner code SecretDisabled")

	_, err = f.s.ByID(ctx, a)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	var native *azcore.ResponseError
	require.True(t, f.s.ErrorAs(err, &native))
	assert.Equal(t, http.StatusForbidden, native.StatusCode)

	for _, v := range f.physicals(t) {
		m := parseMark(*v.ContentType)
		if v.ID.Version() == a || m.copyOf == a {
			assert.False(t, *v.Attributes.Enabled, "version %s stands for a and is still enabled", v.ID.Version())
		}
	}
	vs, err := f.s.List(ctx)
	require.NoError(t, err)
	for _, v := range vs {
		assert.Equal(t, v.ID != a, v.Enabled, v.ID)
	}

	// A retired version cannot come back; the vault's 403 says why.
	err = f.s.Promote(ctx, a)
	assert.ErrorIs(t, err, secrets.ErrConflict)
	require.True(t, f.s.ErrorAs(err, &native))
	assert.True(t, isDisabled(native))
	require.NoError(t, f.s.Retire(ctx, a), "retiring twice is a no-op")
}

// A current version disabled by hand in the portal is what every reader
// of the latest version gets refused; the Store then has no current
// version rather than an older one.
func TestCurrentDisabledOutsideSnowpat(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	f.put(t, "pat-a", nil)
	b := f.put(t, "pat-b", nil)
	_, err := f.raw.UpdateSecretProperties(ctx, f.name, b, azsecrets.UpdateSecretPropertiesParameters{
		SecretAttributes: &azsecrets.SecretAttributes{Enabled: to.Ptr(false)},
	}, nil)
	require.NoError(t, err)
	_, err = f.s.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	var re *azcore.ResponseError
	require.True(t, f.s.ErrorAs(err, &re), "the vault's refusal is the reason, and ErrorAs reaches it")
	assert.Equal(t, http.StatusForbidden, re.StatusCode)
	assert.True(t, isDisabled(re), "inner code SecretDisabled")
	_, err = f.s.ByStage(ctx, secrets.StagePrevious)
	assert.True(t, f.s.ErrorAs(err, &re), "every stage is hidden by the same refusal")

	// A new Put makes the secret readable again.
	c := f.put(t, "pat-c", nil)
	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, c, cur.ID)

	// A stage nobody holds is the adapter's own answer, from a successful
	// read: there is no error answer behind it to reach.
	_, err = f.s.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	assert.False(t, f.s.ErrorAs(err, &re))
}
