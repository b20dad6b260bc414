package vault

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// RecordName is the last path segment of the stage record kept beside
// each secret: the stages of "team/powerbi" are in
// "team/powerbi/.snowpat-stages". Secret paths may not use it.
const RecordName = ".snowpat-stages"

// secret is the driver for one KV v2 secret. It keeps no state between
// calls, so that drivers in several processes can share a secret.
type secret struct {
	c      *api.Client
	mount  string // without slashes at either end
	path   string // the secret's path below the mount
	record string // the stage record's path below the mount
}

var (
	_ driver.Secret            = (*secret)(nil)
	_ driver.CompareAndSwapper = (*secret)(nil)
)

// New returns a Store over the secret at path in the KV version 2 engine
// mounted at mount ("secret", "kv", "teams/kv"). The client's address,
// token or auth method, namespace and retries are the caller's.
func New(client *api.Client, mount, path string) (*secrets.Store, error) {
	d, err := newSecret(client, mount, path)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(d), nil
}

// NewDriver is New without the Store: the bare driver, for the
// conformance suite (which runs in a module of its own, since the Vault
// server it needs is a large dependency) and for wrapping the driver.
// Applications use New.
func NewDriver(client *api.Client, mount, path string) (driver.Secret, error) {
	return newSecret(client, mount, path)
}

func newSecret(client *api.Client, mount, path string) (*secret, error) {
	if client == nil {
		return nil, invalidArg(errors.New("vault: nil client"))
	}
	mount = strings.Trim(mount, "/")
	path = strings.Trim(path, "/")
	if err := checkPath("mount", mount); err != nil {
		return nil, invalidArg(err)
	}
	if err := checkPath("path", path); err != nil {
		return nil, invalidArg(err)
	}
	return &secret{c: client, mount: mount, path: path, record: path + "/" + RecordName}, nil
}

func invalidArg(err error) error {
	return &secrets.Error{Op: "vault.New", Kind: secrets.ErrInvalidArgument, Err: err}
}

// checkPath refuses what Vault would clean into another path (empty,
// "." and ".." segments) and the stage record's name.
func checkPath(what, p string) error {
	if p == "" {
		return fmt.Errorf("vault: empty %s", what)
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".", "..":
			return fmt.Errorf("vault: %s %q has an empty, \".\" or \"..\" segment", what, p)
		case RecordName:
			return fmt.Errorf("vault: %s %q uses the reserved name %s", what, p, RecordName)
		}
	}
	return nil
}

// As reaches the *api.Client: pass a **api.Client.
func (s *secret) As(i any) bool {
	p, ok := i.(**api.Client)
	if ok {
		*p = s.c
	}
	return ok
}

// Close does nothing: the client belongs to the caller.
func (s *secret) Close() error { return nil }
