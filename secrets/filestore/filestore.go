package filestore

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"path/filepath"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// The files in a secret's directory.
const (
	lockName      = "lock"       // flock target; empty
	stateName     = "state.json" // the versions, their stages and metadata
	versionPrefix = "v-"         // v-<id>: one version's value, exactly
	tempPrefix    = ".tmp-"      // a file being written, renamed into place when complete
)

// OpenStore returns a Store over the secret kept in directory dir, which
// is created, mode 0700, by the first write; until then the secret does not
// exist. A relative dir is made absolute now, so that a later change of
// working directory cannot move the secret.
func OpenStore(dir string) (*secrets.Store, error) {
	s, err := openSecret(dir)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(s), nil
}

func openSecret(dir string) (*secret, error) {
	if dir == "" {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("filestore: empty directory")}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	if abs == filepath.Dir(abs) {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("filestore: a secret cannot be the root directory")}
	}
	return &secret{dir: abs}, nil
}

// secret is the driver. It keeps no open files between calls: each call
// takes the directory's lock, does its work and lets go, so that any number
// of secrets, in any number of processes, can address one directory.
type secret struct {
	dir string
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
