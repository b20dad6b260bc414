//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package filestore

import (
	"errors"
	"fmt"
	"os"
)

// errNoPlatform is every call's error where filestore cannot keep its
// promises: without flock two processes could lose each other's updates,
// and without file owners and O_NOFOLLOW the directory cannot be checked,
// so filestore refuses to work rather than risk it.
var errNoPlatform = fmt.Errorf("filestore: no advisory file locks or ownership checks on this platform: %w", errors.ErrUnsupported)

func tryFlock(*os.File, bool) (bool, error) { return false, errNoPlatform }
