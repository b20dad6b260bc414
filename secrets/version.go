package secrets

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// redacted stands in for a secret value wherever a Version is printed,
// encoded or logged: the driver's marker, so that one string means a
// hidden secret at every layer (pat.Secret prints the same).
const redacted = driver.Redacted

// VersionInfo describes one version of a secret without its value. It is
// safe to print and log: metadata is, by contract, not secret.
type VersionInfo struct {
	// ID is the backend's opaque identifier for the version.
	ID string `json:"id"`
	// Stage is the label the version holds.
	Stage Stage `json:"stage"`
	// Created is when the backend recorded the version.
	Created time.Time `json:"created"`
	// Enabled is false once the version has been retired on a backend that
	// disables retired versions; such a version cannot be read.
	Enabled bool `json:"enabled"`
	// Metadata is what was written with the version; nil when nothing was.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Version is one version of a secret with its value. The value is reachable
// only through the Value method: printing with any fmt verb, encoding to
// JSON, gob or logging with slog shows "[REDACTED]" instead, so that a
// Version that ends up in a log line or an error message does not leak.
type Version struct {
	VersionInfo
	// value sits behind a pointer so that fmt, printing a struct that holds
	// a Version in an unexported field (where it cannot call the methods
	// below), shows an address rather than the bytes.
	value *secretValue
}

type secretValue struct{ b []byte }

// Value returns a copy of the secret value. It is the only way to read the
// value; the caller owns the copy and may wipe it.
func (v Version) Value() []byte {
	if v.value == nil {
		return nil
	}
	return append([]byte(nil), v.value.b...)
}

// String describes the version with its value redacted.
func (v Version) String() string {
	return fmt.Sprintf("version %s (%s, enabled=%t, created %s, %d metadata entries) value=%s",
		v.ID, v.Stage, v.Enabled, v.Created.Format(time.RFC3339), len(v.Metadata), redacted)
}

// GoString is used by %#v; the value is redacted.
func (v Version) GoString() string {
	return fmt.Sprintf("secrets.Version{ID:%q, Stage:%s, Created:%s, Enabled:%t, Metadata:%#v, Value:%s}",
		v.ID, v.Stage, v.Created.Format(time.RFC3339Nano), v.Enabled, v.Metadata, redacted)
}

// Format implements fmt.Formatter so that no verb, flag or width prints the
// value: %#v gives GoString, %q a quoted String, every other verb String.
func (v Version) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, v.GoString())
	case verb == 'q':
		_, _ = fmt.Fprintf(f, "%q", v.String())
	default:
		_, _ = io.WriteString(f, v.String())
	}
}

// MarshalJSON encodes the version's info with "value": "[REDACTED]".
func (v Version) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		VersionInfo
		Value string `json:"value"`
	}{v.VersionInfo, redacted})
}

// LogValue implements slog.LogValuer: the version's info, value redacted.
func (v Version) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", v.ID),
		slog.String("stage", v.Stage.String()),
		slog.Time("created", v.Created),
		slog.Bool("enabled", v.Enabled),
		slog.Any("metadata", v.Metadata),
		slog.String("value", redacted),
	)
}
