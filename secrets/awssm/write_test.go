package awssm

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The value is stored byte for byte, text in SecretString and anything
// else in SecretBinary, so that other tools read what snowpat wrote; the
// metadata lives in the companion secret, never in the value.
func TestValueStaysReadableByOtherTools(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pat := `{"account":"xy12345","user":"POWERBI_SERVICE","token":"abc"}`
	id, err := f.store.Put(ctx, []byte(pat), &secrets.PutOptions{Metadata: map[string]string{"token_name": "powerbi_2025"}})
	require.NoError(t, err)
	out := f.raw(t, &secretsmanager.GetSecretValueInput{})
	assert.Equal(t, pat, aws.ToString(out.SecretString))
	assert.Nil(t, out.SecretBinary)
	assert.Equal(t, id, aws.ToString(out.VersionId))

	companion := f.raw(t, &secretsmanager.GetSecretValueInput{SecretId: aws.String(f.name + ".snowpat-metadata")})
	assert.Contains(t, aws.ToString(companion.SecretString), `"token_name":"powerbi_2025"`)
	assert.NotContains(t, aws.ToString(companion.SecretString), "abc")

	bin := []byte{0xff, 0x00, 0xfe}
	_, err = f.store.Put(ctx, bin, nil)
	require.NoError(t, err)
	out = f.raw(t, &secretsmanager.GetSecretValueInput{})
	assert.Nil(t, out.SecretString)
	assert.Equal(t, bin, out.SecretBinary)
}

// A secret written by another tool, with no companion, reads as plain
// values without metadata.
func TestForeignSecret(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(f.name), SecretString: aws.String("made elsewhere")})
	require.NoError(t, err)
	v, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, "made elsewhere", string(v.Value()))
	assert.Nil(t, v.Metadata)
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, secrets.StageCurrent, vs[0].Stage)
}

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// The idempotency key becomes the ClientRequestToken through a hash: any
// valid key, one character or sixty-four, gives a valid, stable token,
// and a retry sends the same token, which AWS answers without a new
// version.
func TestClientRequestToken(t *testing.T) {
	for _, k := range []string{"k", strings.Repeat("k", 64), "0b7c9d2e-uuid-like"} {
		tok := tokenFor(k)
		assert.Regexp(t, uuidShape, tok)
		assert.Equal(t, tok, tokenFor(k), "derived tokens are stable")
	}
	assert.NotEqual(t, tokenFor("a"), tokenFor("b"))
	assert.NotEqual(t, tokenFor(""), tokenFor(""), "without a key every write is new")
	assert.Regexp(t, uuidShape, tokenFor(""))

	f := newFixture(t)
	ctx := context.Background()
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-42", Metadata: map[string]string{"by": "policy"}}
	id, err := f.store.PutPending(ctx, []byte("v"), opts)
	require.NoError(t, err)
	assert.Equal(t, tokenFor("rotation-42"), id)

	f.srv.ResetCalls()
	again, err := f.store.PutPending(ctx, []byte("v"), opts)
	require.NoError(t, err)
	assert.Equal(t, id, again)
	assert.Equal(t, 1, f.srv.Calls("PutSecretValue"), "the retry re-sends the write, which AWS ignores, and writes no metadata")
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	assert.Len(t, vs, 1)

	_, err = f.store.PutPending(ctx, []byte("other"), opts)
	assert.ErrorIs(t, err, secrets.ErrConflict, "AWS refuses the token with another value")
}

// Default deletion keeps the name reserved for AWS's recovery window:
// writes are refused as already existing, reads see nothing, and
// RestoreSecret brings everything back, metadata included.
func TestRecoveryWindow(t *testing.T) {
	f := newFixture(t, WithRecoveryWindow(7))
	ctx := context.Background()
	id, err := f.store.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: map[string]string{"a": "1"}})
	require.NoError(t, err)
	require.NoError(t, f.store.Delete(ctx))
	desc, err := f.client.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(f.name)})
	require.NoError(t, err)
	assert.WithinDuration(t, desc.CreatedDate.Add(7*24*3600e9), *desc.DeletedDate, 60e9)

	_, err = f.store.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = f.store.Put(ctx, []byte("w"), nil)
	assert.ErrorIs(t, err, secrets.ErrAlreadyExists)
	assert.ErrorIs(t, f.store.Delete(ctx), secrets.ErrNotFound)

	for _, n := range []string{f.name, f.name + ".snowpat-metadata"} {
		_, err = f.client.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: aws.String(n)})
		require.NoError(t, err)
	}
	v, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, v.ID)
	assert.Equal(t, map[string]string{"a": "1"}, v.Metadata)
}

func TestNew(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"", "arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf", "has space", strings.Repeat("n", 500)} {
		_, err := New(f.client, name)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, name)
	}
	_, err := New(nil, "x")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	_, err = New(f.client, "x", WithRecoveryWindow(3))
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)

	var c *secretsmanager.Client
	require.True(t, f.store.As(&c))
	assert.Same(t, f.client, c)
	var wrong *string
	assert.False(t, f.store.As(&wrong))
}
