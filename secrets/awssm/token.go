package awssm

import (
	"crypto/rand"
	"crypto/sha256"
)

// tokenDomain separates the hashes of idempotency keys from any other use
// of SHA-256 on the same strings.
const tokenDomain = "snowpat/awssm/idempotency-key\x00"

// tokenFor returns the ClientRequestToken, and so the version id, of a
// write. With an idempotency key it is derived from the key alone, so that
// a retried write sends the same token and AWS recognises the retry; AWS
// wants 32 to 64 characters, which keys (1 to 64 of them) need not have,
// hence the hash. Without a key it is random, so that equal values written
// twice make two versions.
//
// Both forms are UUID-shaped, like the ids AWS makes itself: a random one
// is version 4, a derived one version 8 (RFC 9562's custom version).
func tokenFor(key string) string {
	var b [16]byte
	if key == "" {
		_, _ = rand.Read(b[:])
		return formatUUID(b, 4)
	}
	sum := sha256.Sum256([]byte(tokenDomain + key))
	copy(b[:], sum[:16])
	return formatUUID(b, 8)
}

func formatUUID(b [16]byte, ver byte) string {
	b[6] = b[6]&0x0f | ver<<4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}

// plausibleID reports whether id could be an AWS version id: AWS requires
// 32 to 64 characters and refuses anything else with a validation error,
// which would otherwise turn a lookup of an unknown id into an
// invalid-argument error instead of not-found.
func plausibleID(id string) bool { return len(id) >= 32 && len(id) <= 64 }
