package memstore

import (
	"sync"

	"github.com/snowpat/snowpat/secrets"
)

// named holds the process-wide secrets OpenStore shares. Entries are never
// removed, even by Delete, so that every Store opened with a name keeps
// addressing the same secret and ids keep increasing.
var named struct {
	mu      sync.Mutex
	secrets map[string]*secret
}

// OpenStore returns a Store over the process-wide secret called name;
// every Store opened with the same name shares its versions.
func OpenStore(name string) *secrets.Store {
	return secrets.NewStore(openSecret(name))
}

// NewStore returns a Store over a new secret that no other Store shares.
func NewStore() *secrets.Store {
	return secrets.NewStore(&secret{})
}

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
