package azkv

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// An idempotency key is remembered in the content type of the version it
// wrote, as two MACs keyed with the key itself: a lookup id, and a MAC of
// the value. Neither reveals the key, and without the key (which callers
// make random) the value MAC cannot be used to test guesses of the value;
// it lets a retried write be recognised even after its version has been
// disabled and can no longer be read.

// idempotencyMarks returns the lookup id and value MAC for key and value,
// or two empty strings for the empty key.
func idempotencyMarks(key string, value []byte) (lookup, sum string) {
	if key == "" {
		return "", ""
	}
	return mac(key, []byte("snowpat/idempotency-key")), mac(key, append([]byte("snowpat/value\x00"), value...))
}

// mac is 96 bits of HMAC-SHA256, base64url: short, since the content type
// holds at most 255 characters, and plenty against collisions.
func mac(key string, msg []byte) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write(msg)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}
