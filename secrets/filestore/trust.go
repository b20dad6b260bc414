package filestore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// errUnsafe marks a directory or file that filestore refuses to trust:
// one that another user could have planted or could change under it. It
// is classified as secrets.ErrPermissionDenied, and comes inside an
// *fs.PathError naming the path, which Store.ErrorAs reaches.
var errUnsafe = errors.New("filestore: not trusted")

func unsafeErr(path, format string, args ...any) error {
	return &fs.PathError{Op: "use", Path: path, Err: fmt.Errorf("%w: "+format, append([]any{errUnsafe}, args...)...)}
}

// checkTrust checks the secret's directory as ssh's StrictModes checks a
// user's ~/.ssh, before every call, so that nobody but this process's
// user (and root) can have put a file there or swapped one:
//
//   - every ancestor, from / down, is a real directory (not a symlink:
//     OpenStore resolved those), owned by root or this user, and not
//     writable by group or others unless it has the sticky bit (/tmp);
//   - the directory itself is a real directory owned by this user and not
//     writable by group or others.
//
// Files inside are then opened without following symlinks (openFile).
// A missing directory or ancestor comes back as fs.ErrNotExist.
func (s *secret) checkTrust() error {
	var chain []string
	for p := filepath.Dir(s.dir); ; p = filepath.Dir(p) {
		chain = append(chain, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if err := s.checkEntry(chain[i], true); err != nil {
			return err
		}
	}
	return s.checkEntry(s.dir, false)
}

// checkEntry checks one directory: an ancestor may belong to root and
// be group- or world-writable if sticky; the secret's own directory may
// not.
func (s *secret) checkEntry(path string, ancestor bool) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return unsafeErr(path, "a symlink; name the directory it points to")
	}
	if !fi.IsDir() {
		return unsafeErr(path, "not a directory")
	}
	uid, err := fileOwner(fi)
	if err != nil {
		return err
	}
	if uid != s.uid && !(ancestor && uid == 0) {
		return unsafeErr(path, "owned by uid %d, not by this process's user (uid %d)", uid, s.uid)
	}
	if fi.Mode().Perm()&0o022 != 0 && !(ancestor && fi.Mode()&fs.ModeSticky != 0) {
		return unsafeErr(path, "writable by group or others (mode %v); chmod go-w it", fi.Mode().Perm())
	}
	return nil
}

// openFile opens a file in the secret's directory without following a
// symlink (nor creating through one) and refuses anything but a regular
// file, so that a v-<id> or a lock planted as a link to elsewhere is never
// read, returned or created.
func (s *secret) openFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	path := s.path(name)
	f, err := os.OpenFile(path, flag|oNoFollow, perm)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, unsafeErr(path, "a symlink")
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = unsafeErr(path, "not a regular file")
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// readFile is os.ReadFile through openFile.
func (s *secret) readFile(name string) ([]byte, error) {
	f, err := s.openFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
