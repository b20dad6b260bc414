//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package filestore

import (
	"io/fs"
	"os"
	"syscall"
)

// flock takes a whole-file advisory lock and waits for it. flock locks
// belong to the open file, not the process, so two Stores in one process
// exclude each other exactly as two processes do.
func flock(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	conn, err := f.SyscallConn()
	if err != nil {
		return err
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
		return err
	}
	if ferr != nil {
		return &fs.PathError{Op: "flock", Path: f.Name(), Err: ferr}
	}
	return nil
}
