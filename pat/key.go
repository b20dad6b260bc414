package pat

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"
)

// ErrInsecureKeyFile is returned by LoadPrivateKey for a key file that
// others can read or that is not a regular file: as ssh does, the key is
// refused rather than used.
var ErrInsecureKeyFile = errors.New("pat: private key file is readable by others")

// LoadPrivateKey reads the RSA private key an administrator logs in with
// (key-pair authentication, which token management needs) from a PEM file:
// PKCS #8, encrypted with passphrase (PBES2: PBKDF2 with HMAC-SHA1/224/256/
// 384/512, AES-128/192/256-CBC or 3DES-CBC, as `openssl pkcs8 -topk8 -v2`
// writes it) or not, or PKCS #1. passphrase is nil for an unencrypted key.
//
// The file must be a regular file that neither its group nor others can
// read (ErrInsecureKeyFile), as ssh requires. A path that is itself a key —
// an easy mistake with SNOWFLAKE_PRIVATE_KEY_PATH — is refused with an
// error that does not repeat it. No error ever contains the key or the
// passphrase.
func LoadPrivateKey(path string, passphrase []byte) (*rsa.PrivateKey, error) {
	if looksLikeKey(path) {
		return nil, fmt.Errorf("%w: a path to a PEM key file was expected, but the value given holds what looks like a key itself; put the key in a file readable only by its owner and give that file's path", ErrInvalidArgument)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("pat: reading the private key %s: %w", path, errors.Unwrap(err))
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%w: %s is not a regular file (%s)", ErrInsecureKeyFile, path, fi.Mode().Type())
	case fi.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("%w: %s has mode %04o; make it readable by its owner only (chmod 600)", ErrInsecureKeyFile, path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pat: reading the private key %s: %w", path, errors.Unwrap(err))
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%w: %s holds no PEM block", ErrInvalidArgument, path)
	}
	der := block.Bytes
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		if len(passphrase) == 0 {
			return nil, fmt.Errorf("%w: %s is encrypted and no passphrase was given", ErrInvalidArgument, path)
		}
		if der, err = decryptPKCS8(der, passphrase); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalidArgument, path, err)
		}
	case "RSA PRIVATE KEY":
		if _, legacy := block.Headers["Proc-Type"]; legacy {
			return nil, fmt.Errorf("%w: %s is encrypted the legacy OpenSSL way, which is insecure; convert it with openssl pkcs8 -topk8 -v2 aes256", ErrInvalidArgument, path)
		}
		k, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not a readable PKCS #1 RSA key", ErrInvalidArgument, path)
		}
		return k, nil
	case "PRIVATE KEY":
	default:
		return nil, fmt.Errorf("%w: %s holds a %q PEM block, not a private key", ErrInvalidArgument, path, block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not a readable PKCS #8 key", ErrInvalidArgument, path)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %s is not an RSA key (Snowflake's key-pair authentication takes RSA)", ErrInvalidArgument, path)
	}
	return rk, nil
}

// looksLikeKey tells a key (or any multi-line secret) given where a path
// was expected.
func looksLikeKey(s string) bool {
	return strings.Contains(s, "-----BEGIN") || strings.ContainsAny(s, "\n\r") || len(s) > 4096
}

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	prfs      = map[string]func() hash.Hash{
		"1.2.840.113549.2.7":  sha1.New,
		"1.2.840.113549.2.8":  sha256.New224,
		"1.2.840.113549.2.9":  sha256.New,
		"1.2.840.113549.2.10": sha512.New384,
		"1.2.840.113549.2.11": sha512.New,
	}
	ciphers = map[string]struct {
		keyLen int
		block  func([]byte) (cipher.Block, error)
	}{
		"2.16.840.1.101.3.4.1.2":  {16, aes.NewCipher},
		"2.16.840.1.101.3.4.1.22": {24, aes.NewCipher},
		"2.16.840.1.101.3.4.1.42": {32, aes.NewCipher},
		"1.2.840.113549.3.7":      {24, des.NewTripleDESCipher},
	}
)

type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo (RFC 5958) protected by
// PBES2 (RFC 8018). Its errors name what is wrong, never what was read.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errors.New("not a readable encrypted PKCS #8 key")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encrypted with %s; only PBES2 is supported (openssl pkcs8 -topk8 -v2 aes256)", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, errors.New("unreadable PBES2 parameters")
	}
	if !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("key derivation %s; only PBKDF2 is supported", params.KeyDerivationFunc.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		return nil, errors.New("unreadable PBKDF2 parameters")
	}
	prf := sha1.New // RFC 8018's default
	if len(kdf.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = prfs[kdf.PRF.Algorithm.String()]; !ok {
			return nil, fmt.Errorf("unsupported PBKDF2 hash %s", kdf.PRF.Algorithm)
		}
	}
	c, ok := ciphers[params.EncryptionScheme.Algorithm.String()]
	if !ok {
		return nil, fmt.Errorf("unsupported cipher %s", params.EncryptionScheme.Algorithm)
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != c.keyLen {
		return nil, errors.New("the key length does not match the cipher")
	}
	if kdf.Iterations < 1 || kdf.Iterations > 10_000_000 {
		return nil, errors.New("an implausible PBKDF2 iteration count")
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil {
		return nil, errors.New("unreadable cipher parameters")
	}
	key, err := pbkdf2.Key(prf, string(passphrase), kdf.Salt, kdf.Iterations, c.keyLen)
	if err != nil {
		return nil, errors.New("cannot derive the key")
	}
	block, err := c.block(key)
	if err != nil || len(iv) != block.BlockSize() || len(info.Data) == 0 || len(info.Data)%block.BlockSize() != 0 {
		return nil, errors.New("malformed encrypted data")
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, info.Data)
	// PKCS #7 padding; a wrong passphrase almost always breaks it.
	n := int(out[len(out)-1])
	if n == 0 || n > block.BlockSize() {
		return nil, errors.New("wrong passphrase, or a damaged key")
	}
	for _, b := range out[len(out)-n:] {
		if int(b) != n {
			return nil, errors.New("wrong passphrase, or a damaged key")
		}
	}
	return out[:len(out)-n], nil
}
