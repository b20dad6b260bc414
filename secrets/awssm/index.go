package awssm

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"time"
)

// The companion secret's document: one entry per version, keyed by
// version id, holding that version's metadata. It is the only record of
// metadata (AWS versions have none), and its sequence numbers order
// versions created within the same millisecond, which is all the precision
// AWS's CreatedDate has.
const indexFormat = "snowpat.awssm.metadata/1"

// The companion is an AWS secret too: its value may not exceed 64 KiB.
// Past indexPruneAt the writer prunes; a document that cannot be brought
// under indexMaxSize is refused.
const (
	indexPruneAt = 48 << 10
	indexMaxSize = 64 << 10
	// orphanAge is how long an entry may wait for its version: an entry is
	// written before the version it describes, and a write that fails in
	// between leaves it behind. Younger entries may belong to writes still
	// in flight, so pruning spares them.
	orphanAge = time.Hour
)

type indexDoc struct {
	Format   string                 `json:"format"`
	Seq      uint64                 `json:"seq"`
	Versions map[string]*indexEntry `json:"versions"`
}

type indexEntry struct {
	Seq      uint64            `json:"seq"`
	Written  time.Time         `json:"written"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

var errNotIndex = errors.New("the companion secret does not hold snowpat metadata")

func newIndex() *indexDoc {
	return &indexDoc{Format: indexFormat, Versions: map[string]*indexEntry{}}
}

func parseIndex(s string) (*indexDoc, error) {
	d := newIndex()
	if err := json.Unmarshal([]byte(s), d); err != nil || d.Format != indexFormat {
		return nil, errNotIndex
	}
	if d.Versions == nil {
		d.Versions = map[string]*indexEntry{}
	}
	return d, nil
}

func (d *indexDoc) encode() (string, error) {
	b, err := json.Marshal(d)
	return string(b), err
}

// metadata returns a copy of id's metadata, nil when it has none.
func (d *indexDoc) metadata(id string) map[string]string {
	if e := d.Versions[id]; e != nil && len(e.Metadata) > 0 {
		return maps.Clone(e.Metadata)
	}
	return nil
}

func (d *indexDoc) seq(id string) uint64 {
	if e := d.Versions[id]; e != nil {
		return e.Seq
	}
	return 0
}

// set records md for version id, as the newest entry.
func (d *indexDoc) set(id string, md map[string]string, now time.Time) {
	d.Seq++
	d.Versions[id] = &indexEntry{Seq: d.Seq, Written: now.UTC(), Metadata: maps.Clone(md)}
}

// mainVersion is what pruning needs to know of a version of the secret.
type mainVersion struct {
	id       string
	labelled bool
}

// prune makes room: it drops entries of versions the secret no longer has
// (purged by AWS, or never written) once older than orphanAge, then, while
// the document is still over indexPruneAt, the metadata of the oldest
// versions without a label, which AWS is about to purge anyway. It reports
// whether the document now fits.
func (d *indexDoc) prune(versions []mainVersion, now time.Time) (bool, error) {
	present := map[string]bool{}
	for _, v := range versions {
		present[v.id] = v.labelled
	}
	for id, e := range d.Versions {
		if _, ok := present[id]; !ok && now.Sub(e.Written) > orphanAge {
			delete(d.Versions, id)
		}
	}
	unlabelled := slices.DeleteFunc(slices.Collect(maps.Keys(d.Versions)), func(id string) bool {
		labelled, ok := present[id]
		return !ok || labelled
	})
	slices.SortFunc(unlabelled, func(a, b string) int { return compareSeq(d.Versions[a].Seq, d.Versions[b].Seq) })
	for {
		s, err := d.encode()
		if err != nil {
			return false, err
		}
		if len(s) <= indexPruneAt {
			return true, nil
		}
		if len(unlabelled) == 0 {
			return len(s) <= indexMaxSize, nil
		}
		delete(d.Versions, unlabelled[0])
		unlabelled = unlabelled[1:]
	}
}

func compareSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
