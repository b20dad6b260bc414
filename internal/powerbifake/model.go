package powerbifake

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"slices"
	"strings"
)

// Gateway describes an on-premises data gateway a test adds.
type Gateway struct {
	// Name is the gateway's name; on-premises gateways have one.
	Name string
	// KeyBits is the size of its RSA key: 1024 (the older gateways'
	// size, encrypted in 85-byte segments) or 2048 and up (the hybrid
	// scheme). Zero is 2048.
	KeyBits int
	// Admins are the principals that administer it.
	Admins []string
}

// Dataset describes a semantic model a test adds.
type Dataset struct {
	Name string
	// Owner is the principal that owns (configured) the model; cloud
	// data sources take credentials only from it.
	Owner string
	// Datasources are the model's data sources.
	Datasources []Datasource
}

// Datasource is one data source of a model, bound to a gateway (an
// on-premises one, or the cloud gateway AddCloudGateway returns).
type Datasource struct {
	// ID is assigned when empty.
	ID string
	// Gateway is the gateway id the data source is bound to.
	Gateway string
	// Type is the datasourceType, such as "Snowflake" or "Sql".
	Type string
	// Server and Database are its connectionDetails.
	Server, Database string
}

// Credentials is what a gateway data source holds.
type Credentials struct {
	CredentialType      string
	User, Password      string
	EncryptedConnection string
	PrivacyLevel        string
	// Encrypted says the credentials arrived encrypted (RSA-OAEP).
	Encrypted bool
	// Updates counts the updates.
	Updates int
}

type workspace struct {
	id, name string
	members  []string
	datasets map[string]*dataset
}

type dataset struct {
	id, name, owner string
	sources         []*Datasource
	refreshes       []*refresh // newest last
}

type gateway struct {
	id, name string
	cloud    bool
	key      *rsa.PrivateKey
	admins   []string
	badKey   string // a public key to serve instead of the real one
	sources  map[string]*Credentials
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// AddWorkspace adds a workspace whose members may read and refresh its
// models, and returns its id.
func (s *Server) AddWorkspace(name string, members ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &workspace{id: newID(), name: name, members: members, datasets: map[string]*dataset{}}
	s.workspaces[w.id] = w
	return w.id
}

// AddGateway adds an on-premises gateway with a fresh RSA key and returns
// its id.
func (s *Server) AddGateway(g Gateway) string {
	bits := g.KeyBits
	if bits == 0 {
		bits = 2048
	}
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gw := &gateway{id: newID(), name: g.Name, key: key, admins: g.Admins, sources: map[string]*Credentials{}}
	s.gateways[gw.id] = gw
	return gw.id
}

// AddCloudGateway adds the gateway id that cloud connections are bound
// to, and returns it.
func (s *Server) AddCloudGateway() string {
	// A cloud gateway has a key too (Microsoft's Python sample reads it
	// before it looks for a name), though nothing is encrypted for it.
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gw := &gateway{id: newID(), cloud: true, key: key, sources: map[string]*Credentials{}}
	s.gateways[gw.id] = gw
	return gw.id
}

// CorruptGatewayKey makes Get Gateway serve key as the gateway's public
// key modulus (for bad-input tests), or the real key again when key is
// empty.
func (s *Server) CorruptGatewayKey(gatewayID, modulus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gateways[gatewayID].badKey = modulus
}

// AddDataset adds a model to a workspace and returns its id. Data sources
// bound to the same gateway with the same id share their credentials, as
// models sharing a gateway connection do.
func (s *Server) AddDataset(workspaceID string, d Dataset) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspaces[workspaceID]
	if w == nil {
		panic("powerbifake: no workspace " + workspaceID)
	}
	ds := &dataset{id: newID(), name: d.Name, owner: d.Owner}
	for _, src := range d.Datasources {
		cp := src
		if cp.ID == "" {
			cp.ID = newID()
		}
		gw := s.gateways[cp.Gateway]
		if gw == nil {
			panic("powerbifake: no gateway " + cp.Gateway)
		}
		if gw.sources[cp.ID] == nil {
			gw.sources[cp.ID] = &Credentials{}
		}
		ds.sources = append(ds.sources, &cp)
	}
	w.datasets[ds.id] = ds
	return ds.id
}

// Datasources returns a copy of a model's data sources, with their
// assigned ids.
func (s *Server) Datasources(datasetID string) []Datasource {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ds := s.dataset(datasetID)
	if ds == nil {
		return nil
	}
	out := make([]Datasource, len(ds.sources))
	for i, src := range ds.sources {
		out[i] = *src
	}
	return out
}

// Credentials returns what a gateway data source holds.
func (s *Server) Credentials(gatewayID, datasourceID string) Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gw := s.gateways[gatewayID]; gw != nil && gw.sources[datasourceID] != nil {
		return *gw.sources[datasourceID]
	}
	return Credentials{}
}

// dataset finds a model in any workspace. The caller holds the lock.
func (s *Server) dataset(id string) (*workspace, *dataset) {
	for _, w := range s.workspaces {
		if ds := w.datasets[strings.ToLower(id)]; ds != nil {
			return w, ds
		}
	}
	return nil, nil
}

func (w *workspace) member(p string) bool { return slices.Contains(w.members, p) }
func (g *gateway) admin(p string) bool    { return slices.Contains(g.admins, p) }

// owns reports whether principal p owns a model bound to the cloud data
// source id: cloud credentials are managed by the models' owners.
func (s *Server) owns(p, gatewayID, sourceID string) bool {
	for _, w := range s.workspaces {
		for _, ds := range w.datasets {
			if ds.owner != p {
				continue
			}
			for _, src := range ds.sources {
				if src.Gateway == gatewayID && src.ID == sourceID {
					return true
				}
			}
		}
	}
	return false
}
