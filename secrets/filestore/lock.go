package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// lock takes the directory's advisory lock, shared for reads and exclusive
// for writes, and returns the open lock file; closing it releases the lock.
// Everything that reads or writes the state file holds it, so that two
// processes cannot interleave a read-modify-write and lose an update.
//
// With create false a missing lock file means the secret does not exist;
// with create true the directory and lock file are made as needed.
//
// Delete unlinks the lock file while holding it, so a process that was
// waiting may wake holding a lock on a file that no longer has a name,
// while a newcomer locks a fresh file of the same name. After locking, the
// file at the path is therefore compared with the one locked, and on a
// mismatch the lock is taken again.
//
// Waiting for the lock cannot be interrupted: it is held only for a few
// small writes and fsyncs, and a holder that dies releases it with its
// file descriptors.
func (s *secret) lock(ctx context.Context, exclusive, create bool) (*os.File, error) {
	flag := os.O_RDONLY
	if create {
		flag = os.O_RDWR | os.O_CREATE
	}
	const attempts = 100 // each retry means a concurrent Delete won; this many means a bug
	for range attempts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if create {
			if err := s.ensureDir(); err != nil {
				return nil, err
			}
		}
		f, err := os.OpenFile(s.path(lockName), flag, 0o600)
		if err != nil {
			if create && errors.Is(err, fs.ErrNotExist) {
				continue // the directory was just deleted: make it again
			}
			return nil, err
		}
		crashPoint("lock:opened")
		if err := flock(f, exclusive); err != nil {
			_ = f.Close()
			return nil, err
		}
		if same, err := sameFile(f, s.path(lockName)); err != nil || !same {
			_ = f.Close()
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			continue
		}
		return f, nil
	}
	return nil, fmt.Errorf("filestore: could not lock %s in %d attempts", s.path(lockName), attempts)
}

func sameFile(f *os.File, path string) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}

// ensureDir creates the secret's directory, mode 0700, and makes its entry
// in the parent durable, so that a version written into it cannot vanish
// with the directory after a crash.
func (s *secret) ensureDir() error {
	if _, err := os.Lstat(s.dir); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	return syncDir(filepath.Dir(s.dir))
}
