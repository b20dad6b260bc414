package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// collectGarbage removes what a crashed writer left, among entries (the
// directory's listing): temporary files and version files that set does
// not name, and nothing else. It must run under the exclusive lock, when
// no one else can be writing either. It also refuses to let a write build
// on a state that names a missing file (the directory was edited by hand),
// which would otherwise carry the damage forward.
func (s *secret) collectGarbage(set *versionset.Set, entries []fs.DirEntry) error {
	named := make(map[string]bool, len(set.Records))
	for _, r := range set.Records {
		named[versionPrefix+r.ID] = true
	}
	removed := false
	present := make(map[string]bool, len(entries))
	for _, e := range entries {
		n := e.Name()
		present[n] = true
		if isTempName(n) || isVersionName(n) && !named[n] {
			if err := os.Remove(s.path(n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			removed = true
		}
	}
	for _, r := range set.Records {
		if !present[versionPrefix+r.ID] {
			return fmt.Errorf("%w: the state names version %q but its file is missing", errCorrupt, r.ID)
		}
	}
	if removed {
		return syncDir(s.dir)
	}
	return nil
}
