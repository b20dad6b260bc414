package driver

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Redacted stands in for a secret value wherever a Version or a PutRequest
// is printed, encoded or logged. Drivers pass these types around, and a
// driver's debug line or an error built with %v must not carry the bytes
// the portable layer takes care never to show.
const Redacted = "[REDACTED]"

// String describes the version with its value redacted.
func (v Version) String() string {
	return fmt.Sprintf("driver.Version{ID:%q Stage:%s Created:%s Enabled:%t Metadata:%d entries Value:%s (%d bytes)}",
		v.ID, v.Stage, v.Created.Format(time.RFC3339), v.Enabled, len(v.Metadata), Redacted, len(v.Value))
}

// GoString is used by %#v; the value is redacted.
func (v Version) GoString() string { return v.String() }

// Format makes every verb and flag print String, so that no format
// reaches the value.
func (v Version) Format(f fmt.State, verb rune) { formatRedacted(f, verb, v.String()) }

// MarshalJSON encodes the version's info with the value redacted.
func (v Version) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		VersionInfo
		Value string
	}{v.VersionInfo, Redacted})
}

// LogValue implements slog.LogValuer: the version's info, value redacted.
func (v Version) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", v.ID), slog.String("stage", v.Stage.String()),
		slog.Bool("enabled", v.Enabled), slog.String("value", Redacted))
}

// String describes the request with its value redacted.
func (r PutRequest) String() string {
	return fmt.Sprintf("driver.PutRequest{Pending:%t IdempotencyKey:%q Metadata:%d entries Value:%s (%d bytes)}",
		r.Pending, r.IdempotencyKey, len(r.Metadata), Redacted, len(r.Value))
}

// GoString is used by %#v; the value is redacted.
func (r PutRequest) GoString() string { return r.String() }

// Format makes every verb and flag print String.
func (r PutRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r.String()) }

// MarshalJSON encodes the request with the value redacted.
func (r PutRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Pending        bool
		IdempotencyKey string
		Metadata       map[string]string
		Value          string
	}{r.Pending, r.IdempotencyKey, r.Metadata, Redacted})
}

// LogValue implements slog.LogValuer with the value redacted.
func (r PutRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("pending", r.Pending), slog.String("idempotency_key", r.IdempotencyKey),
		slog.String("value", Redacted))
}

func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		_, _ = fmt.Fprintf(f, "%q", s)
		return
	}
	_, _ = io.WriteString(f, s)
}
