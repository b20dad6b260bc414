//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package filestore

import (
	"io/fs"
	"os"
	"syscall"
)

// tryFlock tries once, without waiting, to take a whole-file advisory lock
// and reports whether it did. flock locks belong to the open file, not the
// process, so two Stores in one process exclude each other exactly as two
// processes do. Waiting is left to the caller, which can watch its
// context: a flock call that blocks cannot be interrupted.
func tryFlock(f *os.File, exclusive bool) (bool, error) {
	how := syscall.LOCK_SH | syscall.LOCK_NB
	if exclusive {
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	conn, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var ferr error
	if err := conn.Control(func(fd uintptr) {
		for {
			ferr = syscall.Flock(int(fd), how)
			if ferr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return false, err
	}
	switch ferr {
	case nil:
		return true, nil
	case syscall.EWOULDBLOCK:
		return false, nil
	}
	return false, &fs.PathError{Op: "flock", Path: f.Name(), Err: ferr}
}
