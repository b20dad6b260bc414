package filestore

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme filestore registers with package secrets.
const Scheme = "file"

func init() {
	secrets.Register(Scheme, openURL)
	secrets.RegisterIdentity(Scheme, identity)
}

var errBadURL = errors.New(`filestore: want "file:///absolute/path" with no host, user, query or fragment`)

// openURL opens "file:///var/lib/snowpat/powerbi": the path is the
// secret's directory, held to OpenStore's rules (absolute, clean, below
// RootEnv's root when it is set).
func openURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	dir, err := dirFromURL(u)
	if err != nil {
		return nil, err
	}
	return openSecret(dir)
}

// identity is "file://" and the directory the URL names, cleaned, with
// the symlinks of its longest existing prefix resolved: where OpenStore
// places the secret, so that "file:///x/a", "file:///x/b/../a" and a path
// through a symlinked parent are one secret. OpenStore refuses the
// unclean spellings, but a duplicate check must still see them as the
// same directory. It reads the file system (no more than OpenStore does)
// and does not apply the root (RootEnv): a directory outside it is still
// one directory.
func identity(u *url.URL) (string, error) {
	dir, err := dirFromURL(u)
	if err != nil {
		return "", err
	}
	real, err := resolve(filepath.Clean(filepath.FromSlash(dir)))
	if err != nil {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	return Scheme + "://" + filepath.ToSlash(real), nil
}

func dirFromURL(u *url.URL) (string, error) {
	if err := secrets.CheckQuery(u); err != nil {
		return "", err
	}
	if u.Opaque != "" || u.Host != "" || u.User != nil || u.Fragment != "" || u.Path == "" || u.Path[0] != '/' {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	return u.Path, nil
}
