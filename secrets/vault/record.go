package vault

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// The stage record is a KV v2 secret beside the value's, whose latest
// version is the whole truth about the secret's portable versions: which
// KV versions of the value path they are, their stages, whether they are
// retired, their metadata and idempotency marks. Every change is one
// check-and-set write of it, which is what makes Put, Promote, Retire and
// their compare-and-swap forms atomic: a writer that read an older record
// than the latest is refused and starts again.

const recordFormat = "snowpat-stages/1"

// recordData is the record as stored, readable with vault kv get.
type recordData struct {
	Format   string        `json:"format"`
	Versions []recordEntry `json:"versions"`
	// Writer is random per record write: the mark by which a writer
	// recognises its own write after losing the answer (see landed).
	Writer string `json:"writer,omitempty"`
	// Destroyed are the versions Destroy took out of Versions, kept so
	// that a Destroy interrupted before Vault destroyed the value is
	// finished by a retry (see destroy.go).
	Destroyed []string `json:"destroyed,omitempty"`
}

type recordEntry struct {
	ID       string            `json:"id"` // the value path's KV version
	Created  time.Time         `json:"created"`
	Stage    string            `json:"stage,omitempty"` // current, pending, previous
	Enabled  bool              `json:"enabled"`
	Key      string            `json:"key,omitempty"` // idempotency lookup id
	Sum      string            `json:"sum,omitempty"` // value MAC under the key
	Metadata map[string]string `json:"metadata,omitempty"`
}

// record is a read record: its versions as a versionset.Set (which holds
// the stage rules), the value MACs beside it, and the KV version read, for
// the check-and-set of the next write.
type record struct {
	set       versionset.Set
	sums      map[string]string // by version id
	destroyed []string          // version ids, see recordData.Destroyed
	cas       int
}

// readRecord reads the latest record. A record that was never written (or
// was removed with vault kv metadata delete) is an empty one; one whose
// latest version was deleted by hand is an error, not an empty secret, so
// that stages are never silently dropped.
func (s *secret) readRecord(ctx context.Context) (*record, error) {
	var d recordData
	meta, found, err := s.readData(ctx, s.record, 0, &d)
	if err != nil {
		return nil, err
	}
	if !found {
		if meta.Version > 0 {
			return nil, versionset.Errorf(driver.CodeUnknown,
				"the stage record %s/%s is deleted at version %d; undelete it (vault kv undelete) to recover the stages", s.mount, s.record, meta.Version)
		}
		return &record{sums: map[string]string{}}, nil
	}
	if d.Format != recordFormat {
		return nil, versionset.Errorf(driver.CodeUnknown, "the stage record %s/%s has format %q, want %q", s.mount, s.record, d.Format, recordFormat)
	}
	r := &record{sums: map[string]string{}, destroyed: d.Destroyed, cas: meta.Version}
	for _, e := range d.Versions {
		r.set.Records = append(r.set.Records, versionset.Record{
			ID:       e.ID,
			Created:  e.Created,
			Stage:    parseStage(e.Stage),
			Enabled:  e.Enabled,
			Key:      e.Key,
			Metadata: e.Metadata,
		})
		if e.Sum != "" {
			r.sums[e.ID] = e.Sum
		}
	}
	return r, nil
}

// writeRecord writes r as the next record version, if nobody wrote one
// since r was read; otherwise it returns errCASMismatch. On success r.cas
// is the new version.
//
// vault/api resends a write answered with a 5xx or 412, or whose
// connection failed, and Vault may have carried out the first attempt:
// the resend then fails the check-and-set, although the write happened.
// So a write that fails with a mismatch, or with no telling whether it
// happened, looks at the record version it would have made and reports
// success if that version carries its own mark.
func (s *secret) writeRecord(ctx context.Context, r *record) error {
	d := recordData{Format: recordFormat, Versions: []recordEntry{}, Writer: newWriteID(), Destroyed: r.destroyed}
	for _, x := range r.set.Records {
		d.Versions = append(d.Versions, recordEntry{
			ID:       x.ID,
			Created:  x.Created,
			Stage:    stageName(x.Stage),
			Enabled:  x.Enabled,
			Key:      x.Key,
			Sum:      r.sums[x.ID],
			Metadata: maps.Clone(x.Metadata),
		})
	}
	v, err := s.writeData(ctx, s.record, d, r.cas)
	if err != nil {
		if (errors.Is(err, errCASMismatch) || s.ErrorCode(err) == driver.CodeUnavailable) && s.landed(ctx, r.cas+1, d.Writer) {
			r.cas++
			return nil
		}
		return err
	}
	r.cas = v.Version
	return nil
}

// landed reports whether record version n was written by the write
// marked writer. A version that cannot be read (not written, already
// dropped past max_versions, or Vault unreachable) did not, as far as
// anyone can tell: the caller keeps its error.
func (s *secret) landed(ctx context.Context, n int, writer string) bool {
	var d recordData
	_, found, err := s.readData(ctx, s.record, n, &d)
	return err == nil && found && d.Writer == writer
}

// prune drops the records of versions Vault no longer keeps: those below
// the value path's oldest_version (evicted past max_versions) and those
// above its current_version (left from a value path that was deleted and
// recreated behind the record's back). A current of 0 means unknown.
func (r *record) prune(oldest, current int) {
	gone := func(id string) bool {
		n, err := strconv.Atoi(id)
		return err != nil || n < oldest || (current > 0 && n > current)
	}
	keep := r.set.Records[:0]
	for _, x := range r.set.Records {
		if gone(x.ID) {
			delete(r.sums, x.ID)
			continue
		}
		keep = append(keep, x)
	}
	r.set.Records = keep
	r.destroyed = slices.DeleteFunc(r.destroyed, gone)
}

func stageName(s driver.Stage) string {
	if s == driver.StageNone {
		return ""
	}
	return s.String()
}

func parseStage(s string) driver.Stage {
	switch s {
	case "current":
		return driver.StageCurrent
	case "pending":
		return driver.StagePending
	case "previous":
		return driver.StagePrevious
	}
	return driver.StageNone
}
