package powerbi

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push/driver"
)

func keyOf(t *testing.T, bits int) (*rsa.PrivateKey, gatewayKey) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	require.NoError(t, err)
	k, err := parseGatewayKey(base64.StdEncoding.EncodeToString(big.NewInt(int64(priv.E)).Bytes()), base64.StdEncoding.EncodeToString(priv.N.Bytes()))
	require.NoError(t, err)
	return priv, k
}

// The 1024-bit layout: 85-byte segments, each RSA-OAEP-SHA1 into 128
// bytes, concatenated. Here checked against crypto/rsa's own decryption;
// the gateway fake checks it with an implementation of its own.
func TestEncrypt1024Layout(t *testing.T) {
	priv, k := keyOf(t, 1024)
	plain := []byte(strings.Repeat("x", 200)) // 85 + 85 + 30
	s, err := encrypt(k, plain, rand.Reader)
	require.NoError(t, err)
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	require.Len(t, b, 3*128)
	var got []byte
	for i := 0; i < len(b); i += 128 {
		seg, err := rsa.DecryptOAEP(sha1.New(), nil, priv, b[i:i+128], nil)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(seg), 85)
		got = append(got, seg...)
	}
	assert.Equal(t, plain, got)
}

// The hybrid layout: base64 of the 256 wrapped key bytes (344
// characters), then base64 of [0,0] ‖ tag ‖ IV ‖ ciphertext; the wrapped
// keys are [0, 1, 32 bytes, 64 bytes] under RSA-OAEP-SHA256.
func TestEncryptHybridLayout(t *testing.T) {
	priv, k := keyOf(t, 2048)
	s, err := encrypt(k, []byte("hello"), rand.Reader)
	require.NoError(t, err)
	wrapped, err := base64.StdEncoding.DecodeString(s[:344])
	require.NoError(t, err)
	keys, err := rsa.DecryptOAEP(sha256.New(), nil, priv, wrapped, nil)
	require.NoError(t, err)
	require.Len(t, keys, 98)
	assert.Equal(t, []byte{0, 1}, keys[:2])
	msg, err := base64.StdEncoding.DecodeString(s[344:])
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0}, msg[:2])
	assert.Len(t, msg, 2+32+16+16, "one block of ciphertext for five bytes")
}

// Keys that do not parse or are too weak are refused.
func TestParseGatewayKeyRefuses(t *testing.T) {
	_, k := keyOf(t, 1024)
	n := base64.StdEncoding.EncodeToString(k.pub.N.Bytes())
	for _, c := range [][2]string{
		{"AQAB", "not base64!"},
		{"not base64", n},
		{"", n},
		{"AQAB", ""},
		{"AQAB", base64.StdEncoding.EncodeToString(k.pub.N.Bytes()[:64])}, // 512 bits
		{"AA==", n}, // exponent 0
		{"Ag==", n}, // even exponent
	} {
		_, err := parseGatewayKey(c[0], c[1])
		assert.Error(t, err, c)
	}
}

// The credentials string is the SDK's: no HTML escaping, quotes and
// backslashes escaped.
func TestBasicCredentials(t *testing.T) {
	b, err := basicCredentials(driver.Credential{User: "BI_SVC", Secret: pat.NewSecret(`a<b>&"c\`)})
	require.NoError(t, err)
	assert.Equal(t, `{"credentialData":[{"name":"username","value":"BI_SVC"},{"name":"password","value":"a<b>&\"c\\"}]}`, string(b))
}
