package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// lock takes the directory's advisory lock, shared for reads and exclusive
// for writes, and returns the open lock file; closing it releases the lock.
// Everything that reads or writes the state file holds it, so that two
// processes cannot interleave a read-modify-write and lose an update. The
// directory is checked (checkTrust) before the lock file is opened, on
// every attempt.
//
// With create false a missing directory or lock file means the secret does
// not exist; with create true the directory and lock file are made as
// needed, the lock file only in a directory filestore may adopt.
//
// Delete unlinks the lock file while holding it, so a process that was
// waiting may wake holding a lock on a file that no longer has a name,
// while a newcomer locks a fresh file of the same name. After locking, the
// file at the path is therefore compared with the one locked, and on a
// mismatch the lock is taken again.
func (s *secret) lock(ctx context.Context, exclusive, create bool) (*os.File, error) {
	const attempts = 100 // each retry means a concurrent Delete won; this many means a bug
	for range attempts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.checkTrust(); err != nil {
			if !create || !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			if err := s.makeDir(); err != nil {
				return nil, err
			}
			continue // check what was made
		}
		f, err := s.openLock(create)
		if err != nil {
			if create && errors.Is(err, fs.ErrNotExist) {
				continue // the directory was just deleted: make it again
			}
			return nil, err
		}
		crashPoint("lock:opened")
		if err := s.waitFlock(ctx, f, exclusive); err != nil {
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

// openLock opens the lock file, creating it only when create is set and
// the directory is one filestore may adopt, so that no file is ever made
// in a directory that belongs to something else.
func (s *secret) openLock(create bool) (*os.File, error) {
	f, err := s.openFile(lockName, os.O_RDONLY, 0)
	if !create || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	if err := s.checkAdoptable(entries); err != nil {
		return nil, err
	}
	return s.openFile(lockName, os.O_RDONLY|os.O_CREATE, 0o600)
}

// The waits between attempts to take a busy lock: doubling from the
// first to the last, which bounds how late a waiter notices the lock is
// free against how often it asks. A lock is held for a few small writes
// and fsyncs.
const (
	lockWaitFirst = time.Millisecond
	lockWaitMax   = 50 * time.Millisecond
)

// waitFlock takes the lock on f, trying without blocking and waiting on
// the injected clock between tries, so that a done context ends the wait
// with ctx.Err() (a blocking flock could not be interrupted).
func (s *secret) waitFlock(ctx context.Context, f *os.File, exclusive bool) error {
	wait := lockWaitFirst
	for {
		ok, err := tryFlock(f, exclusive)
		if err != nil || ok {
			return err
		}
		t := s.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C():
		}
		wait = min(2*wait, lockWaitMax)
	}
}

func sameFile(f *os.File, path string) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}

// makeDir creates the secret's directory, and any missing parent, mode
// 0700, and makes its entry in the parent durable, so that a version
// written into it cannot vanish with the directory after a crash.
func (s *secret) makeDir() error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	return syncDir(filepath.Dir(s.dir))
}
