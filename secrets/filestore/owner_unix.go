//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package filestore

import (
	"fmt"
	"io/fs"
	"syscall"
)

// oNoFollow makes open fail on a symlink in the last component instead of
// following it.
const oNoFollow = syscall.O_NOFOLLOW

// fileOwner is the uid that owns the file fi describes.
func fileOwner(fi fs.FileInfo) (int, error) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, fmt.Errorf("filestore: no owner recorded for %s", fi.Name())
	}
	return int(st.Uid), nil
}
