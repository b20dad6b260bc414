package azkv

import (
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func setParams(v string) azsecrets.SetSecretParameters {
	return azsecrets.SetSecretParameters{Value: &v}
}

func mediaOf(t *testing.T, ct *string) string {
	t.Helper()
	require.NotNil(t, ct)
	m, _, err := mime.ParseMediaType(*ct)
	require.NoError(t, err)
	return m
}

// expires_at becomes the exp attribute and content_type the content type,
// on the version and on the copy readers get after a promotion; both
// metadata entries read back exactly as written.
func TestExpiryAndContentType(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	md := map[string]string{
		MetadataExpiresAt:   "2030-01-02T03:04:05+01:00",
		MetadataContentType: "application/json",
		"pat-name":          "powerbi_2030",
	}
	f.put(t, `{"token":"a"}`, nil)
	p, err := f.s.PutPending(ctx, []byte(`{"token":"p"}`), &secrets.PutOptions{Metadata: md})
	require.NoError(t, err)

	want := time.Date(2030, 1, 2, 2, 4, 5, 0, time.UTC)
	raw, err := f.raw.GetSecret(ctx, f.name, p, nil)
	require.NoError(t, err)
	require.NotNil(t, raw.Attributes.Expires)
	assert.Equal(t, want, raw.Attributes.Expires.UTC())
	assert.Equal(t, "application/json", mediaOf(t, raw.ContentType))

	require.NoError(t, f.s.Promote(ctx, p))
	latest := f.latest(t)
	assert.Equal(t, `{"token":"p"}`, *latest.Value)
	assert.Equal(t, want, latest.Attributes.Expires.UTC(), "readers of the latest version see the expiry")
	assert.Equal(t, "application/json", mediaOf(t, latest.ContentType))
	assert.Equal(t, "powerbi_2030", *latest.Tags["pat-name"])

	cur, err := f.s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, md, cur.Metadata)
}

// Options.ContentType applies without a content_type entry; binary values
// are stored as base64 and marked so.
func TestDefaultContentTypes(t *testing.T) {
	f := newFixture(t, &Options{ContentType: "application/x-snowflake-pat"})
	ctx := t.Context()
	text := f.put(t, "pat", nil)
	bin, err := f.s.Put(ctx, []byte{0xff, 0x00, 0x01}, nil)
	require.NoError(t, err)

	r, err := f.raw.GetSecret(ctx, f.name, text, nil)
	require.NoError(t, err)
	assert.Equal(t, "pat", *r.Value, "text is stored as it is")
	assert.Equal(t, "application/x-snowflake-pat", mediaOf(t, r.ContentType))
	r, err = f.raw.GetSecret(ctx, f.name, bin, nil)
	require.NoError(t, err)
	assert.Equal(t, "/wAB", *r.Value)
	assert.Contains(t, *r.ContentType, "sp-enc=base64")

	plain := newFixture(t, nil)
	plain.put(t, "pat", nil)
	assert.Equal(t, "text/plain", mediaOf(t, plain.latest(t).ContentType))
}

// Metadata the vault cannot take is refused before anything is written.
func TestRefusedAttributes(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	for _, md := range []map[string]string{
		{MetadataExpiresAt: "tomorrow"},
		{MetadataContentType: "not a media type"},
		{MetadataContentType: "application/x-" + strings.Repeat("long", 60)},
		{MetadataContentType: "text/plain; sp-cur=forged"},
	} {
		_, err := f.s.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: md})
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, "%v", md)
	}
	_, err := f.s.List(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "nothing was written")
}

// An empty metadata value would be an empty tag, which Key Vault may
// refuse: the adapter refuses it itself, before any request, keyed or
// not, so that nothing is half written.
func TestEmptyTagValueRefusedBeforeSending(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	md := map[string]string{"owner": "bi", "note": ""}
	_, err := f.s.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: md})
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	_, err = f.s.PutPending(ctx, []byte("v"), &secrets.PutOptions{Metadata: md, IdempotencyKey: "k"})
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	for _, op := range []string{azfake.OpSetSecret, azfake.OpGetSecret, azfake.OpGetSecretVersions} {
		assert.Zero(t, f.srv.Calls(op), op)
	}
}
