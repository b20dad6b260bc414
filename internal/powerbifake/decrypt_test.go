package powerbifake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fake's own RSA and OAEP undo crypto/rsa's encryption, for both
// hashes and both key sizes: the oracle is checked against the standard
// library before it judges the adapter.
func TestOAEPAgainstStandardLibrary(t *testing.T) {
	for _, bits := range []int{1024, 2048} {
		key, err := rsa.GenerateKey(rand.Reader, bits)
		require.NoError(t, err)
		k := key.Size()
		for _, h := range []struct {
			name string
			enc  func([]byte) ([]byte, error)
			dec  func([]byte) ([]byte, error)
		}{
			{"sha1", func(m []byte) ([]byte, error) {
				return rsa.EncryptOAEP(sha1.New(), rand.Reader, &key.PublicKey, m, nil)
			},
				func(c []byte) ([]byte, error) { return oaepDecode(sha1.New(), rawDecrypt(key, k, c), k) }},
			{"sha256", func(m []byte) ([]byte, error) {
				return rsa.EncryptOAEP(sha256.New(), rand.Reader, &key.PublicKey, m, nil)
			},
				func(c []byte) ([]byte, error) { return oaepDecode(sha256.New(), rawDecrypt(key, k, c), k) }},
		} {
			for _, msg := range [][]byte{{}, []byte("x"), make([]byte, 60)} {
				c, err := h.enc(msg)
				require.NoError(t, err)
				got, err := h.dec(c)
				require.NoError(t, err, "%d bits, %s", bits, h.name)
				assert.Equal(t, msg, got)
				c[len(c)-1] ^= 1
				_, err = h.dec(c)
				assert.Error(t, err, "a flipped bit is caught")
			}
		}
	}
}

// A hybrid message built by hand (from the SDK's description, not the
// adapter's code) decrypts; one with a bad tag does not.
func TestDecryptHybrid(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	keys := append([]byte{0, 1}, make([]byte, 96)...)
	_, _ = rand.Read(keys[2:])
	wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &key.PublicKey, keys, nil)
	require.NoError(t, err)
	iv := make([]byte, 16)
	plain := []byte("sixteen bytes!!!") // a full block, so a whole block of padding follows
	padded := append(append([]byte{}, plain...), make([]byte, 16)...)
	for i := 16; i < 32; i++ {
		padded[i] = 16
	}
	block, _ := aes.NewCipher(keys[2:34])
	ct := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
	mac := hmac.New(sha256.New, keys[34:])
	mac.Write([]byte{0, 0})
	mac.Write(iv)
	mac.Write(ct)
	msg := append(append(append([]byte{0, 0}, mac.Sum(nil)...), iv...), ct...)
	s := base64.StdEncoding.EncodeToString(wrapped) + base64.StdEncoding.EncodeToString(msg)
	got, err := decrypt(key, s)
	require.NoError(t, err)
	assert.Equal(t, plain, got)

	msg[5] ^= 1
	_, err = decrypt(key, base64.StdEncoding.EncodeToString(wrapped)+base64.StdEncoding.EncodeToString(msg))
	assert.ErrorContains(t, err, "HMAC")
}
