package gcpsm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

const keyDomain = "snowpat/gcpsm/idempotency-key\x00"

// keyHash is how a version's record names the idempotency key it was
// written with. Annotations are readable by anyone who may view the
// secret's metadata, so the key itself is not stored: without it, the
// record's value MAC below cannot be recomputed for guessed values.
func keyHash(key string) string {
	sum := sha256.Sum256([]byte(keyDomain + key))
	return hex.EncodeToString(sum[:16])
}

// valueMAC lets a retried write be compared with the version it made
// without reading that version (which may since have been disabled):
// an HMAC of the value keyed by the idempotency key, which only the
// writer knows.
func valueMAC(key string, value []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(value)
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// newRecord is what a write records about the version it made.
func newRecord(req *driver.PutRequest, created time.Time) *record {
	r := &record{Created: created, Meta: maps.Clone(req.Metadata)}
	if len(r.Meta) == 0 {
		r.Meta = nil
	}
	if req.IdempotencyKey != "" {
		r.Key, r.MAC = keyHash(req.IdempotencyKey), valueMAC(req.IdempotencyKey, req.Value)
	}
	return r
}

// replay finds an earlier write with the request's idempotency key. It
// reports done with that version's id when value and metadata match, done
// with a conflict when they do not, and not done when the key is new.
func (sn *snapshot) replay(req *driver.PutRequest) (string, bool, error) {
	if req.IdempotencyKey == "" {
		return "", false, nil
	}
	kh := keyHash(req.IdempotencyKey)
	for n, r := range sn.records {
		if r.Key != kh {
			continue
		}
		if r.MAC != valueMAC(req.IdempotencyKey, req.Value) || !maps.Equal(r.Meta, req.Metadata) {
			return "", true, coded(driver.CodeConflict, nil, "the idempotency key was used for version %d with another value or metadata", n)
		}
		return formatID(n), true, nil
	}
	return "", false, nil
}
