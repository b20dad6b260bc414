package vault

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/snowpat/snowpat/secrets/internal/idem"
)

// An idempotency key is remembered in the stage record as the two MACs
// idem.Marks makes: a retried write is recognised without reading the
// earlier version's value (which a retired, soft-deleted version no
// longer offers), and the record holds neither the key nor anything that
// tests guesses of the value without it.

// macSize is 128 bits, the length the stage records already hold:
// changing it would forget every key already stored.
const macSize = 16

// idempotencyMarks returns the lookup id and value MAC for key and value,
// or two empty strings for the empty key.
func idempotencyMarks(key string, value []byte) (lookup, sum string) {
	return idem.Marks(key, value, macSize)
}

// newWriteID returns 96 random bits in base64url, the mark of one record
// write.
func newWriteID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
