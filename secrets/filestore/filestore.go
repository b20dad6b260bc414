package filestore

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"

	"k8s.io/utils/clock"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// OpenStore returns a Store over the secret kept in directory dir, which
// is created, mode 0700, by the first write; until then the secret does not
// exist.
//
// dir must be absolute and clean, with no ".." segment, and below the
// allowed root when one is set (RootEnv, WithRoot): otherwise OpenStore
// returns secrets.ErrInvalidArgument. Symlinks in dir's parent are resolved
// now; dir itself must not be a symlink. Every later call checks the
// directory first (see the package documentation) and fails with
// secrets.ErrPermissionDenied if it cannot be trusted.
func OpenStore(dir string, opts ...Option) (*secrets.Store, error) {
	s, err := openSecret(dir, opts...)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(s), nil
}

func openSecret(dir string, opts ...Option) (*secret, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	placed, err := place(dir, o)
	if err != nil {
		return nil, err
	}
	return &secret{dir: placed, uid: os.Geteuid(), clock: clock.RealClock{}}, nil
}

// secret is the driver. It keeps no open files between calls: each call
// takes the directory's lock, does its work and lets go, so that any number
// of secrets, in any number of processes, can address one directory.
type secret struct {
	dir   string
	uid   int         // the user that must own the directory
	clock clock.Clock // paces the waits for a busy lock
}

var (
	_ driver.Secret            = (*secret)(nil)
	_ driver.CompareAndSwapper = (*secret)(nil)
	_ driver.Destroyer         = (*secret)(nil)
)

func (s *secret) path(name string) string { return filepath.Join(s.dir, name) }

func (s *secret) versionPath(id string) string { return s.path(versionPrefix + id) }

// newID returns 128 random bits in hex: unguessable is not needed, but
// never reused is, including after Delete and across processes, which a
// counter in the directory could not promise once the directory is gone.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// As reports false: there is no client to expose.
func (s *secret) As(any) bool { return false }

// ErrorAs reaches the *fs.PathError, *os.LinkError or syscall.Errno behind
// a failed file operation.
func (s *secret) ErrorAs(err error, i any) bool { return errors.As(err, i) }

// Close does nothing: no file stays open between calls.
func (s *secret) Close() error { return nil }
