package idem

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/url"
)

// Marks returns the lookup id and value MAC for key and value, each the
// first size bytes (at most 32) of an HMAC-SHA256 keyed with key, in
// unpadded base64url; or two empty strings for the empty key, since a
// write without a key is never replayed.
func Marks(key string, value []byte, size int) (lookup, sum string) {
	if key == "" {
		return "", ""
	}
	// The two messages are domain-separated, so that the lookup id is
	// never the value MAC of some value.
	return mac(key, []byte("snowpat/idempotency-key"), size), mac(key, append([]byte("snowpat/value\x00"), value...), size)
}

// mac is size bytes of HMAC-SHA256, base64url.
func mac(key string, msg []byte, size int) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write(msg)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:size])
}

// IsTransport reports whether err is a failure to get a response at all:
// the request may or may not have reached the backend, so a write's
// outcome is unknown and only a retry with its idempotency key settles it.
func IsTransport(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	if _, ok := errors.AsType[*url.Error](err); ok {
		return true
	}
	_, ok := errors.AsType[net.Error](err)
	return ok
}
