package pat

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
)

// redactedText is what every printing, marshalling and logging path shows
// instead of a secret's text. emptyText is shown for the zero Secret: "the
// token was never set" is a common bug, and saying so reveals nothing.
const (
	redactedText = "[REDACTED]"
	emptyText    = "[EMPTY]"
)

// ErrSecretUnmarshal is returned by Secret's UnmarshalJSON and UnmarshalText.
var ErrSecretUnmarshal = errors.New("pat: a Secret cannot be unmarshalled; decode stored tokens with DecodeStored")

// Secret holds the text of a token secret (or another credential) and keeps
// it out of every place text usually escapes to: String, GoString, all fmt
// verbs, JSON, encoding.TextMarshaler users and log/slog all see a fixed
// marker. Only Reveal returns the text, so every place that needs it is a
// grep away.
//
// The text is kept XOR-masked with a per-process random key and
// hex-encoded. This is not encryption and protects nothing from a debugger;
// it exists because reflection-based printers (fmt on unexported fields,
// spew, go-cmp and testify diffs) never call our methods, and they then
// print printable noise instead of the token.
//
// The zero Secret is empty. Secrets are comparable with ==, which is fine for
// tests; code that compares a secret against untrusted input should use
// Equal, which runs in constant time.
type Secret struct {
	masked string
}

// maskKey is drawn once per process. Keeping it fixed means equal texts
// have equal masked forms, so == and reflect.DeepEqual keep working.
var maskKey = func() (k [64]byte) {
	_, _ = rand.Read(k[:]) // crypto/rand.Read never fails since Go 1.24
	return k
}()

func mask(text string) string {
	b := []byte(text)
	for i := range b {
		b[i] ^= maskKey[i%len(maskKey)]
	}
	return hex.EncodeToString(b)
}

func unmask(masked string) string {
	b, _ := hex.DecodeString(masked) // always our own encoding
	for i := range b {
		b[i] ^= maskKey[i%len(maskKey)]
	}
	return string(b)
}

// NewSecret wraps text as a Secret. NewSecret("") is the zero Secret.
func NewSecret(text string) Secret {
	if text == "" {
		return Secret{}
	}
	return Secret{masked: mask(text)}
}

// Reveal returns the secret's text. It is the only way to get it: call it
// at the last moment, where the text leaves for Snowflake or a secret store.
func (s Secret) Reveal() string { return unmask(s.masked) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.masked == "" }

// Equal reports whether s and other hold the same text. The comparison takes
// time that depends only on the lengths, not on where the texts differ, so it
// is safe for checking a presented token against a stored one.
func (s Secret) Equal(other Secret) bool {
	// Masked forms are equal exactly when the texts are (same key), so the
	// texts never need to be unmasked here.
	return subtle.ConstantTimeCompare([]byte(s.masked), []byte(other.masked)) == 1
}

func (s Secret) marker() string {
	if s.IsZero() {
		return emptyText
	}
	return redactedText
}

// String returns a fixed marker, never the text.
func (s Secret) String() string { return s.marker() }

// GoString returns a fixed marker for %#v, never the text.
func (s Secret) GoString() string { return "pat.Secret(" + strconv.Quote(s.marker()) + ")" }

// Format implements fmt.Formatter so that no verb or flag, including %x, %q
// and %#v, can reach the text: fmt calls Format for every verb except %T and
// %p, and neither of those shows a value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(s.GoString()))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(s.marker())))
	default:
		_, _ = f.Write([]byte(s.marker()))
	}
}

// MarshalJSON encodes the marker as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.marker())), nil }

// MarshalText returns the marker. encoding/json uses it for map keys and
// encoding/xml for attributes, so those paths are covered too.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.marker()), nil }

// LogValue makes log/slog record the marker whatever the handler.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.marker()) }

// UnmarshalJSON always fails with ErrSecretUnmarshal. Unmarshalling is
// refused on purpose: marshalling writes the marker, so a struct that
// round-tripped through JSON would silently come back holding "[REDACTED]" as
// its token. Stored tokens are read with DecodeStored instead.
func (s *Secret) UnmarshalJSON([]byte) error { return ErrSecretUnmarshal }

// UnmarshalText always fails with ErrSecretUnmarshal, for the same reason as
// UnmarshalJSON.
func (s *Secret) UnmarshalText([]byte) error { return ErrSecretUnmarshal }
