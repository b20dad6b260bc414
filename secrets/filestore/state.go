package filestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// stateFormat is the version of the state file's layout. A reader refuses
// any other, so that an older snowpat cannot misread a newer layout.
const stateFormat = 1

// stateFile is the JSON in state.json. It holds everything but the values:
// listing versions never opens a file with a secret in it.
type stateFile struct {
	Format   int           `json:"format"`
	Versions []diskVersion `json:"versions"`
}

type diskVersion struct {
	ID       string            `json:"id"`
	Created  time.Time         `json:"created"`
	Stage    string            `json:"stage,omitempty"` // "current", "pending", "previous" or absent
	Enabled  bool              `json:"enabled"`
	Key      string            `json:"idempotency_key,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

var stagesByName = map[string]driver.Stage{
	"":         driver.StageNone,
	"current":  driver.StageCurrent,
	"pending":  driver.StagePending,
	"previous": driver.StagePrevious,
}

// errCorrupt marks a directory whose files break filestore's invariants;
// it is classified as unknown, since neither retrying nor the caller can
// fix it.
var errCorrupt = errors.New("filestore: corrupt secret directory")

// load reads the state file. A missing file is a secret with no versions.
func (s *secret) load() (*versionset.Set, error) {
	data, err := s.readFile(stateName)
	if errors.Is(err, fs.ErrNotExist) {
		return &versionset.Set{}, nil
	}
	if err != nil {
		return nil, err
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errCorrupt, s.path(stateName), err)
	}
	if sf.Format != stateFormat {
		return nil, fmt.Errorf("%w: %s has format %d, this filestore reads %d", errCorrupt, s.path(stateName), sf.Format, stateFormat)
	}
	set := &versionset.Set{Records: make([]versionset.Record, 0, len(sf.Versions))}
	ids := map[string]bool{}
	held := map[driver.Stage]bool{}
	for _, v := range sf.Versions {
		st, ok := stagesByName[v.Stage]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: version %q has unknown stage %q", errCorrupt, v.ID, v.Stage)
		case !validID(v.ID) || ids[v.ID]:
			return nil, fmt.Errorf("%w: bad or repeated version id %q", errCorrupt, v.ID)
		case st != driver.StageNone && held[st]:
			return nil, fmt.Errorf("%w: two versions are %s", errCorrupt, st)
		}
		ids[v.ID], held[st] = true, true
		set.Records = append(set.Records, versionset.Record{
			ID: v.ID, Created: v.Created, Stage: st, Enabled: v.Enabled, Key: v.Key, Metadata: v.Metadata,
		})
	}
	return set, nil
}

// save replaces the state file atomically. It is the commit point of every
// change: before the rename the old state stands, after it the new one;
// renamed says which, also when err is not nil.
func (s *secret) save(set *versionset.Set) (renamed bool, err error) {
	sf := stateFile{Format: stateFormat, Versions: make([]diskVersion, len(set.Records))}
	for i, r := range set.Records {
		name := ""
		if r.Stage != driver.StageNone {
			name = r.Stage.String()
		}
		sf.Versions[i] = diskVersion{
			ID: r.ID, Created: r.Created, Stage: name, Enabled: r.Enabled, Key: r.Key, Metadata: r.Metadata,
		}
	}
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return false, err
	}
	return s.writeAtomic(stateName, append(data, '\n'), "state")
}

// validID accepts what newID makes, so that no id read from the state
// file can name a path outside the directory.
func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// readValue reads a version's value. The state file names only versions
// whose file was made durable first, so a missing file is corruption.
func (s *secret) readValue(id string) ([]byte, error) {
	v, err := s.readFile(versionPrefix + id)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: the state names version %q but its file is missing", errCorrupt, id)
	}
	return v, err
}
