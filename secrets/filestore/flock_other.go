//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package filestore

import (
	"errors"
	"fmt"
	"os"
)

// flock is unsupported here: without a lock two processes could lose each
// other's updates, so filestore refuses to work rather than risk it.
func flock(*os.File, bool) error {
	return fmt.Errorf("filestore: no advisory file locks on this platform: %w", errors.ErrUnsupported)
}
