package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snowpat/snowpat/secrets"
)

// RootEnv names the environment variable that confines filestore: when it
// is set to an absolute directory, every secret's directory must lie
// below it, whether opened by URL or by OpenStore (unless WithRoot says
// otherwise). An operator sets it where the rotator runs so that a targets
// file cannot point a file:// store at /etc or a home directory.
const RootEnv = "SNOWPAT_FILESTORE_ROOT"

// Option configures OpenStore.
type Option func(*options)

type options struct {
	root    string
	rootSet bool
}

// WithRoot confines the secret to a directory below root, in place of
// RootEnv: a program that opens stores itself can fix the root in code.
// WithRoot("") lifts the confinement even when RootEnv is set.
func WithRoot(root string) Option {
	return func(o *options) { o.root, o.rootSet = root, true }
}

// checkPath enforces the shape of a secret's directory or a root: an
// absolute, clean path, so that what the configuration says is the
// directory used, with no ".." to climb out of an intended place.
func checkPath(what, p string) error {
	switch {
	case p == "":
		return invalidPath("empty %s", what)
	case !filepath.IsAbs(p):
		return invalidPath("the %s %q is not absolute", what, p)
	case slices.Contains(strings.Split(filepath.ToSlash(p), "/"), ".."):
		return invalidPath("the %s %q has a \"..\" segment", what, p)
	case filepath.Clean(p) != p:
		return invalidPath("the %s %q is not clean; write %q", what, p, filepath.Clean(p))
	}
	return nil
}

func invalidPath(format string, args ...any) error {
	return &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: fmt.Errorf("filestore: "+format, args...)}
}

// place returns the directory the secret will use: dir with the symlinks
// in its parent resolved (the directory itself must not be one, which the
// trust check enforces on every call), after checking dir's shape and,
// when a root applies, that it lies below the root.
func place(dir string, o options) (string, error) {
	if err := checkPath("directory", dir); err != nil {
		return "", err
	}
	if filepath.Dir(dir) == dir {
		return "", invalidPath("a secret cannot be the root directory")
	}
	parent, err := resolve(filepath.Dir(dir))
	if err != nil {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	placed := filepath.Join(parent, filepath.Base(dir))
	root := o.root
	if !o.rootSet {
		root = os.Getenv(RootEnv)
	}
	if root == "" {
		return placed, nil
	}
	if err := checkPath("root ("+RootEnv+" or WithRoot)", root); err != nil {
		return "", err
	}
	realRoot, err := resolve(root)
	if err != nil {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	if !strings.HasPrefix(placed, strings.TrimSuffix(realRoot, string(filepath.Separator))+string(filepath.Separator)) {
		return "", invalidPath("%q is not below the allowed root %q", dir, root)
	}
	return placed, nil
}

// resolve resolves the symlinks in p's longest existing prefix and keeps
// the rest as written, so that a directory the first write will create
// can still be placed, and checked against a root, by where it really is.
func resolve(p string) (string, error) {
	rest := ""
	for {
		r, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(r, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(p) == p {
			return "", err
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = filepath.Dir(p)
	}
}
