package vault

import (
	"context"
	"strconv"

	"github.com/snowpat/snowpat/secrets/driver"
)

// The custom metadata keys that show the stages on the value path, for
// people and tools that read it with vault kv metadata get. They are a
// copy: the stage record is the truth.
const (
	MetaCurrent       = "snowpat-current"        // version number of the current version
	MetaPending       = "snowpat-pending"        // of the pending version
	MetaPrevious      = "snowpat-previous"       // of the previous version
	MetaRecordVersion = "snowpat-record-version" // the stage record version they copy
)

// mirror copies the stages of r, just committed, into the value path's
// custom metadata. KV v2 has no check-and-set for metadata, so two writers
// can land their copies out of order; each therefore reads the record
// again after copying and copies again if it has moved on. The last
// writer to finish leaves the latest stages, whoever committed last.
// Mirroring is best effort: the commit has happened, so a failure is not
// the operation's and is dropped (the next write repairs it).
func (s *secret) mirror(ctx context.Context, r *record) {
	for range 3 {
		if err := s.patchCustomMetadata(ctx, s.path, stageMetadata(r)); err != nil {
			return
		}
		latest, err := s.readRecord(ctx)
		if err != nil || latest.cas == r.cas {
			return
		}
		r = latest
	}
}

// stageMetadata is the merge patch for r's stages: a stage nobody holds
// removes its key.
func stageMetadata(r *record) map[string]any {
	md := map[string]any{MetaCurrent: nil, MetaPending: nil, MetaPrevious: nil, MetaRecordVersion: strconv.Itoa(r.cas)}
	for _, x := range r.set.Records {
		switch x.Stage {
		case driver.StageCurrent:
			md[MetaCurrent] = x.ID
		case driver.StagePending:
			md[MetaPending] = x.ID
		case driver.StagePrevious:
			md[MetaPrevious] = x.ID
		}
	}
	return md
}
