package gcpsm

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
)

// The version aliases that carry the stages. Consumers read
// projects/p/secrets/s/versions/current.
const (
	aliasCurrent  = "current"
	aliasPending  = "pending"
	aliasPrevious = "previous"
)

// The annotations snowpat keeps on the secret. Every other annotation is
// left as it is.
const (
	annPrefix  = "snowpat."
	annRecord  = annPrefix + "v"       // + version number: that version's record
	annRetired = annPrefix + "retired" // versions retired through snowpat
	annAborted = annPrefix + "aborted" // versions added by writes that then failed
	annPruned  = annPrefix + "pruned"  // versions whose records were dropped for space
)

// maxAnnotations is GCP's limit on the total size of a secret's
// annotation keys and values ("less than 16 KiB").
const maxAnnotations = 16<<10 - 1

// record is what snowpat keeps about a version it wrote: GCP versions have
// no metadata of their own.
type record struct {
	Created time.Time         `json:"c"`
	Meta    map[string]string `json:"m,omitempty"`
	Key     string            `json:"k,omitempty"` // keyHash of the idempotency key
	MAC     string            `json:"h,omitempty"` // valueMAC of the value
}

// snapshot is the secret's stage and bookkeeping state as of one
// GetSecret, with the etag that makes writing it back a compare-and-swap.
type snapshot struct {
	name    string
	etag    string
	aliases map[string]int64
	foreign map[string]string // annotations that are not snowpat's
	records map[int64]*record
	retired ranges
	aborted ranges
	pruned  ranges
}

func parseSnapshot(sec *secretmanagerpb.Secret) (*snapshot, error) {
	sn := &snapshot{
		name:    sec.GetName(),
		etag:    sec.GetEtag(),
		aliases: maps.Clone(sec.GetVersionAliases()),
		foreign: map[string]string{},
		records: map[int64]*record{},
	}
	if sn.aliases == nil {
		sn.aliases = map[string]int64{}
	}
	for k, v := range sec.GetAnnotations() {
		var err error
		switch {
		case k == annRetired:
			sn.retired, err = parseRanges(v)
		case k == annAborted:
			sn.aborted, err = parseRanges(v)
		case k == annPruned:
			sn.pruned, err = parseRanges(v)
		case strings.HasPrefix(k, annRecord):
			n, perr := strconv.ParseInt(k[len(annRecord):], 10, 64)
			r := &record{}
			if perr != nil || n < 1 || json.Unmarshal([]byte(v), r) != nil {
				err = fmt.Errorf("malformed annotation %q", k)
			}
			sn.records[n] = r
		default:
			sn.foreign[k] = v
		}
		if err != nil {
			return nil, coded(driver.CodeUnknown, nil, "secret %s: snowpat's annotations were edited by hand: %v", sn.name, err)
		}
	}
	return sn, nil
}

func (sn *snapshot) clone() *snapshot {
	c := *sn
	c.aliases = maps.Clone(sn.aliases)
	c.records = maps.Clone(sn.records)
	return &c
}

// stageOf is the stage of version n: the strongest of the stage aliases
// naming it, in the order current, pending, previous, so that each stage
// reads as held by one version even if someone pointed two aliases at
// the same version.
func (sn *snapshot) stageOf(n int64) driver.Stage {
	for _, st := range []driver.Stage{driver.StageCurrent, driver.StagePending, driver.StagePrevious} {
		if v, ok := sn.aliases[aliasFor(st)]; ok && v == n {
			return st
		}
	}
	return driver.StageNone
}

// holder returns the version the stage's alias names, if the version
// reports that stage.
func (sn *snapshot) holder(st driver.Stage) (int64, bool) {
	n, ok := sn.aliases[aliasFor(st)]
	if !ok || sn.stageOf(n) != st {
		return 0, false
	}
	return n, true
}

func aliasFor(st driver.Stage) string {
	switch st {
	case driver.StageCurrent:
		return aliasCurrent
	case driver.StagePending:
		return aliasPending
	case driver.StagePrevious:
		return aliasPrevious
	}
	return ""
}

// staged reports whether any stage alias names n.
func (sn *snapshot) staged(n int64) bool { return sn.stageOf(n) != driver.StageNone }

// unstage removes every stage alias naming n.
func (sn *snapshot) unstage(n int64) {
	for _, a := range []string{aliasCurrent, aliasPending, aliasPrevious} {
		if v, ok := sn.aliases[a]; ok && v == n {
			delete(sn.aliases, a)
		}
	}
}

// makeCurrent moves the stages as driver.Secret.Put and Promote specify:
// n loses its own stage, the old current becomes previous, the old
// previous loses its stage.
func (sn *snapshot) makeCurrent(n int64) {
	sn.unstage(n)
	delete(sn.aliases, aliasPrevious)
	if cur, ok := sn.aliases[aliasCurrent]; ok {
		sn.aliases[aliasPrevious] = cur
	}
	sn.aliases[aliasCurrent] = n
}

// absent reports whether the secret has no version written or staged
// through snowpat: what IfAbsent checks.
func (sn *snapshot) absent() bool {
	if len(sn.records) > 0 {
		return false
	}
	for _, a := range []string{aliasCurrent, aliasPending, aliasPrevious} {
		if _, ok := sn.aliases[a]; ok {
			return false
		}
	}
	return true
}

// check returns a conflict unless pre holds.
func (sn *snapshot) check(pre driver.Precondition) error {
	if pre.Absent {
		if !sn.absent() {
			return coded(driver.CodeConflict, nil, "precondition failed: the secret has versions")
		}
		return nil
	}
	cur, ok := sn.holder(driver.StageCurrent)
	want, valid := parseID(pre.CurrentID)
	if !ok || !valid || cur != want {
		return coded(driver.CodeConflict, nil, "precondition failed: the current version is not %q", pre.CurrentID)
	}
	return nil
}

// annotations encodes the snapshot's bookkeeping back into annotations,
// with everyone else's untouched. If they would exceed GCP's budget, the
// records of the oldest versions without a stage are dropped (their
// metadata and idempotency keys are lost; the versions are not, and the
// compact "pruned" set keeps them visible) until they fit; if they
// cannot, it fails.
func (sn *snapshot) annotations() (map[string]string, error) {
	for {
		out, size, err := sn.encode()
		if err != nil {
			return nil, err
		}
		if size <= maxAnnotations {
			return out, nil
		}
		victim := int64(0)
		for _, n := range slices.Sorted(maps.Keys(sn.records)) {
			if !sn.staged(n) {
				victim = n
				break
			}
		}
		if victim == 0 {
			return nil, coded(driver.CodeInvalidArgument, nil, "the metadata of the secret's staged versions exceeds the 16 KiB GCP allows for annotations")
		}
		sn.records = maps.Clone(sn.records)
		delete(sn.records, victim)
		sn.pruned = sn.pruned.add(victim)
	}
}

// encode returns the annotations and their size as GCP counts it.
func (sn *snapshot) encode() (map[string]string, int, error) {
	out := maps.Clone(sn.foreign)
	for _, set := range []struct {
		key string
		r   ranges
	}{{annRetired, sn.retired}, {annAborted, sn.aborted}, {annPruned, sn.pruned}} {
		if len(set.r) > 0 {
			out[set.key] = set.r.String()
		}
	}
	for n, r := range sn.records {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, 0, err
		}
		out[recordKey(n)] = string(b)
	}
	size := 0
	for k, v := range out {
		size += len(k) + len(v)
	}
	return out, size, nil
}

func recordKey(n int64) string { return annRecord + strconv.FormatInt(n, 10) }

// parseID turns a driver version id into a version number. GCP version
// ids are decimal numbers from 1.
func parseID(id string) (int64, bool) {
	if id == "" || id[0] < '1' || id[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil
}

func formatID(n int64) string { return strconv.FormatInt(n, 10) }
