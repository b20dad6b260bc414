package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// The files in a secret's directory. Only these names are ever created,
// and only the last two patterns are ever removed by garbage collection,
// so a file someone else put in the directory is never touched.
const (
	lockName      = "lock"       // flock target; empty
	stateName     = "state.json" // the versions, their stages and metadata
	versionPrefix = "v-"         // v-<id>: one version's value, exactly
	tempPrefix    = ".tmp-"      // .tmp-<id>: a file being written, renamed into place when complete
)

// isVersionName and isTempName match exactly the names newID makes.
func isVersionName(n string) bool { return hasID(n, versionPrefix) }
func isTempName(n string) bool    { return hasID(n, tempPrefix) }

func hasID(n, prefix string) bool {
	id, ok := strings.CutPrefix(n, prefix)
	return ok && validID(id)
}

// ownName reports whether filestore makes files of this name.
func ownName(n string) bool {
	return n == lockName || n == stateName || isVersionName(n) || isTempName(n)
}

// errForeign marks a directory that holds other files and no state file:
// not a secret's directory, and not one to take over. It is classified as
// secrets.ErrInvalidArgument: the URL or path names the wrong place.
var errForeign = errors.New("filestore: not a secret's directory")

// checkAdoptable refuses a directory filestore did not make its own: one
// without a state file that holds anything filestore would not have
// written (a crash before the first state file leaves only its own
// names). A write to /etc or ~/.ssh therefore creates nothing there.
func (s *secret) checkAdoptable(entries []fs.DirEntry) error {
	for _, e := range entries {
		if e.Name() == stateName {
			return nil
		}
	}
	for _, e := range entries {
		if !ownName(e.Name()) {
			return fmt.Errorf("%w: %s holds %q and no %s; give each secret a directory of its own", errForeign, s.dir, e.Name(), stateName)
		}
	}
	return nil
}
