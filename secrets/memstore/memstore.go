package memstore

import (
	"sync"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// named holds the process-wide secrets OpenStore shares. Entries are never
// removed, even by Delete, so that every Store opened with a name keeps
// addressing the same secret and ids keep increasing.
var named struct {
	mu      sync.Mutex
	secrets map[string]*secret
}

// OpenStore returns a Store over the process-wide secret called name;
// every Store opened with the same name shares its versions. Options
// apply to this Store only.
func OpenStore(name string, opts ...Option) *secrets.Store {
	return secrets.NewStore(withOptions(openSecret(name), name, opts))
}

// NewStore returns a Store over a new secret that no other Store shares.
// Its name, for Match.Store, is "".
func NewStore(opts ...Option) *secrets.Store {
	return secrets.NewStore(withOptions(&secret{}, "", opts))
}

// OpenDriver returns the driver behind OpenStore(name), without options,
// for programs that wrap drivers before making a Store with
// secrets.NewStore. To inject faults, OpenStore with WithFaults needs no
// wrapper.
func OpenDriver(name string) driver.Secret { return openSecret(name) }

// NewDriver returns the driver behind a NewStore.
func NewDriver() driver.Secret { return &secret{} }

func openSecret(name string) *secret {
	named.mu.Lock()
	defer named.mu.Unlock()
	s, ok := named.secrets[name]
	if !ok {
		if named.secrets == nil {
			named.secrets = make(map[string]*secret)
		}
		s = &secret{}
		named.secrets[name] = s
	}
	return s
}
