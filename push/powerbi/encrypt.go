package powerbi

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// The constants of the official .NET SDK's scheme
// (microsoft/PowerBI-CSharp, sdk/PowerBI.Api/Extensions).
const (
	modulus1024   = 128 // bytes: a 1024-bit key takes the segmented path
	segmentLength = 85  // plaintext bytes per RSA-OAEP-SHA1 block of a 1024-bit key
	aesKeyLength  = 32
	macKeyLength  = 64
)

// The algorithm-choice bytes that prefix the symmetric message, and the
// key-length codes that prefix the wrapped keys, as the SDK's enums number
// them: Aes256CbcPkcs7 = 0, HMACSHA256 = 0; KeyLength32 = 0,
// KeyLength64 = 1.
var (
	algorithmChoices = []byte{0, 0}
	keyLengthCodes   = []byte{0, 1}
)

// gatewayKey is an on-premises gateway's public key as Get Gateway
// returns it, parsed.
type gatewayKey struct {
	pub *rsa.PublicKey
	// modulusLen is the decoded modulus's length in bytes, which chooses
	// the scheme exactly as the SDK chooses it.
	modulusLen int
}

// parseGatewayKey decodes publicKey.exponent and publicKey.modulus
// (base64, big-endian, as .NET's RSAParameters). A key shorter than 1024
// bits, an even or tiny exponent, or anything that is not base64 is
// refused: the credentials would not be safe, or the gateway could not
// read them.
func parseGatewayKey(exponent, modulus string) (gatewayKey, error) {
	e, err1 := base64.StdEncoding.DecodeString(exponent)
	n, err2 := base64.StdEncoding.DecodeString(modulus)
	if err1 != nil || err2 != nil || len(e) == 0 || len(n) == 0 {
		return gatewayKey{}, errors.New("the gateway's public key is not base64 exponent and modulus")
	}
	N := new(big.Int).SetBytes(n)
	E := new(big.Int).SetBytes(e)
	if N.BitLen() < 1024 || N.BitLen() > 16384 {
		return gatewayKey{}, fmt.Errorf("the gateway's public key has a %d-bit modulus; want 1024 to 16384 bits", N.BitLen())
	}
	if !E.IsInt64() || E.Int64() < 3 || E.Int64() > 1<<31-1 || E.Bit(0) == 0 {
		return gatewayKey{}, errors.New("the gateway's public key has an unusable exponent")
	}
	return gatewayKey{pub: &rsa.PublicKey{N: N, E: int(E.Int64())}, modulusLen: len(n)}, nil
}

// encrypt encrypts plain for the gateway exactly as the official .NET SDK
// does (AsymmetricKeyEncryptor.EncodeCredentials):
//
//   - A 128-byte modulus (1024 bits): plain is cut into 85-byte segments,
//     each encrypted with RSA-OAEP using SHA-1 (RSACryptoServiceProvider's
//     Encrypt with fOAEP true) into 128 bytes; the blocks are
//     concatenated and base64-encoded.
//   - Any other modulus: fresh 32-byte AES and 64-byte HMAC keys; plain is
//     encrypted with AES-256-CBC and PKCS#7 padding under a fresh IV; an
//     HMAC-SHA256 tag covers the algorithm bytes [0, 0], the IV and the
//     ciphertext; the message is [0, 0] ‖ tag ‖ IV ‖ ciphertext. The keys,
//     prefixed with their length codes [0, 1], are encrypted with
//     RSA-OAEP using SHA-256. The result is base64(wrapped keys) followed
//     by base64(message).
//
// Microsoft's Python sample disagrees on the 1024-bit path: it uses
// SHA-256 and 60-byte segments. This follows the .NET SDK, the one the
// service documents and the PowerShell samples use.
func encrypt(k gatewayKey, plain []byte, rnd io.Reader) (string, error) {
	if k.modulusLen == modulus1024 {
		var out []byte
		for i := 0; i < len(plain); i += segmentLength {
			block, err := rsa.EncryptOAEP(sha1.New(), rnd, k.pub, plain[i:min(i+segmentLength, len(plain))], nil)
			if err != nil {
				return "", err
			}
			out = append(out, block...)
		}
		return base64.StdEncoding.EncodeToString(out), nil
	}
	keys := make([]byte, 0, len(keyLengthCodes)+aesKeyLength+macKeyLength)
	keys = append(keys, keyLengthCodes...)
	secret := make([]byte, aesKeyLength+macKeyLength)
	if _, err := io.ReadFull(rnd, secret); err != nil {
		return "", err
	}
	keys = append(keys, secret...)
	msg, err := authenticatedEncrypt(secret[:aesKeyLength], secret[aesKeyLength:], plain, rnd)
	if err != nil {
		return "", err
	}
	wrapped, err := rsa.EncryptOAEP(sha256.New(), rnd, k.pub, keys, nil)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(wrapped) + base64.StdEncoding.EncodeToString(msg), nil
}

// authenticatedEncrypt is the SDK's AuthenticatedEncryption.Encrypt with
// AES-256-CBC/PKCS#7 and HMAC-SHA256.
func authenticatedEncrypt(encKey, macKey, plain []byte, rnd io.Reader) ([]byte, error) {
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	iv := make([]byte, aes.BlockSize)
	if _, err := io.ReadFull(rnd, iv); err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	padded := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	ct := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
	mac := hmac.New(sha256.New, macKey)
	mac.Write(algorithmChoices)
	mac.Write(iv)
	mac.Write(ct)
	out := make([]byte, 0, len(algorithmChoices)+sha256.Size+len(iv)+len(ct))
	out = append(out, algorithmChoices...)
	out = mac.Sum(out)
	out = append(out, iv...)
	return append(out, ct...), nil
}
