package powerbifake

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"math/big"
)

// decrypt undoes what an on-premises gateway's public key encrypted, as
// the gateway does with its private key. It follows the official .NET
// SDK's scheme (microsoft/PowerBI-CSharp, AsymmetricKeyEncryptor and its
// helpers) from the decrypting side, and implements RSA and OAEP itself
// (math/big and RFC 8017, section 7.1.2) rather than through crypto/rsa's
// OAEP, so that it checks the adapter's encryption instead of mirroring
// it:
//
//   - A 1024-bit key (a 128-byte modulus): the credentials were split into
//     segments of at most 85 bytes, each RSA-OAEP encrypted with SHA-1
//     into 128 bytes; the blocks are concatenated and base64-encoded.
//   - Any other size: base64(RSA-OAEP-SHA256 of [0, 1, 32-byte AES key,
//     64-byte HMAC key]) followed by base64([0, 0, HMAC-SHA256 tag, IV,
//     AES-256-CBC ciphertext with PKCS#7 padding]), the tag computed over
//     [0, 0], the IV and the ciphertext.
func decrypt(key *rsa.PrivateKey, s string) ([]byte, error) {
	k := (key.N.BitLen() + 7) / 8
	if k == 128 {
		return decryptSegments(key, k, s)
	}
	return decryptHybrid(key, k, s)
}

func decryptSegments(key *rsa.PrivateKey, k int, s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || len(b)%k != 0 {
		return nil, errors.New("not base64 blocks of the modulus size")
	}
	var out []byte
	for i := 0; i < len(b); i += k {
		m, err := oaepDecode(sha1.New(), rawDecrypt(key, k, b[i:i+k]), k)
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	return out, nil
}

func decryptHybrid(key *rsa.PrivateKey, k int, s string) ([]byte, error) {
	n := base64.StdEncoding.EncodedLen(k)
	if len(s) <= n {
		return nil, errors.New("too short for the encrypted keys and a message")
	}
	wrapped, err1 := base64.StdEncoding.DecodeString(s[:n])
	msg, err2 := base64.StdEncoding.DecodeString(s[n:])
	if err1 != nil || err2 != nil || len(wrapped) != k {
		return nil, errors.New("not two base64 parts")
	}
	keys, err := oaepDecode(sha256.New(), rawDecrypt(key, k, wrapped), k)
	if err != nil {
		return nil, err
	}
	// The key lengths prefix: 0 means 32 bytes, 1 means 64 bytes.
	if len(keys) != 2+32+64 || keys[0] != 0 || keys[1] != 1 {
		return nil, errors.New("the key block is not [0, 1, 32-byte key, 64-byte key]")
	}
	encKey, macKey := keys[2:34], keys[34:]
	const header, tagLen, ivLen = 2, sha256.Size, aes.BlockSize
	if len(msg) < header+tagLen+ivLen+aes.BlockSize || msg[0] != 0 || msg[1] != 0 {
		return nil, errors.New("the message is not AES-256-CBC with HMAC-SHA256")
	}
	tag, iv, body := msg[header:header+tagLen], msg[header+tagLen:header+tagLen+ivLen], msg[header+tagLen+ivLen:]
	mac := hmac.New(sha256.New, macKey)
	mac.Write(msg[:header])
	mac.Write(iv)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), tag) {
		return nil, errors.New("the HMAC does not match")
	}
	if len(body)%aes.BlockSize != 0 {
		return nil, errors.New("the ciphertext is not whole blocks")
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(body))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, body)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errors.New("bad PKCS#7 padding")
	}
	return plain[:len(plain)-pad], nil
}

// rawDecrypt is textbook RSA, c^d mod n, left-padded to k bytes.
func rawDecrypt(key *rsa.PrivateKey, k int, c []byte) []byte {
	m := new(big.Int).Exp(new(big.Int).SetBytes(c), key.D, key.N)
	return m.FillBytes(make([]byte, k))
}

// oaepDecode is EME-OAEP decoding with an empty label and MGF1 over the
// same hash (RFC 8017, 7.1.2 step 3).
func oaepDecode(h hash.Hash, em []byte, k int) ([]byte, error) {
	hLen := h.Size()
	bad := errors.New("OAEP decoding failed")
	if len(em) != k || k < 2*hLen+2 || em[0] != 0 {
		return nil, bad
	}
	maskedSeed, maskedDB := em[1:1+hLen], em[1+hLen:]
	seed := xor(maskedSeed, mgf1(h, maskedDB, hLen))
	db := xor(maskedDB, mgf1(h, seed, len(maskedDB)))
	h.Reset()
	lHash := h.Sum(nil)
	if subtle.ConstantTimeCompare(db[:hLen], lHash) != 1 {
		return nil, bad
	}
	rest := db[hLen:]
	i := bytes.IndexByte(rest, 1)
	if i < 0 || !bytes.Equal(rest[:i], make([]byte, i)) {
		return nil, bad
	}
	return rest[i+1:], nil
}

// mgf1 is the mask generation function of RFC 8017, appendix B.2.1.
func mgf1(h hash.Hash, seed []byte, n int) []byte {
	var out []byte
	var counter [4]byte
	for c := uint32(0); len(out) < n; c++ {
		binary.BigEndian.PutUint32(counter[:], c)
		h.Reset()
		h.Write(seed)
		h.Write(counter[:])
		out = h.Sum(out)
	}
	return out[:n]
}

func xor(a, b []byte) []byte {
	out := make([]byte, len(a))
	for i := range a {
		out[i] = a[i] ^ b[i]
	}
	return out
}
