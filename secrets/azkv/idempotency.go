package azkv

import "github.com/snowpat/snowpat/secrets/internal/idem"

// An idempotency key is remembered in the content type of the version it
// wrote, as the two MACs idem.Marks makes; they let a retried write be
// recognised even after its version has been disabled and can no longer
// be read.

// macSize is 96 bits: short, since the content type holds at most 255
// characters, and plenty against collisions. Changing it would forget
// every key already stored.
const macSize = 12

// idempotencyMarks returns the lookup id and value MAC for key and value,
// or two empty strings for the empty key.
func idempotencyMarks(key string, value []byte) (lookup, sum string) {
	return idem.Marks(key, value, macSize)
}
