package vault

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// An idempotency key is remembered in the stage record as two MACs keyed
// with the key itself: a lookup id, and a MAC of the value. A retried
// write is recognised without reading the earlier version's value (which
// a retired, soft-deleted version no longer offers), and the record holds
// neither the key nor anything that tests guesses of the value without it.

// idempotencyMarks returns the lookup id and value MAC for key and value,
// or two empty strings for the empty key.
func idempotencyMarks(key string, value []byte) (lookup, sum string) {
	if key == "" {
		return "", ""
	}
	return mac(key, []byte("snowpat/idempotency-key")), mac(key, append([]byte("snowpat/value\x00"), value...))
}

// mac is 128 bits of HMAC-SHA256, base64url.
func mac(key string, msg []byte) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write(msg)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}
