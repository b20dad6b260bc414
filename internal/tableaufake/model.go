package tableaufake

import (
	"crypto/rand"
	"fmt"
	"strings"
)

// Role is a user's site role, as far as the fake enforces it.
type Role int

const (
	// RoleCreator may read what it can see and update what it owns.
	RoleCreator Role = iota
	// RoleSiteAdministrator may read and update everything on the site.
	RoleSiteAdministrator
)

const (
	kindDatasource = "datasource"
	kindWorkbook   = "workbook"
)

// Content describes a published data source or workbook a test adds.
type Content struct {
	// Name is the display name; names need not be unique on a site
	// (they are per project), which is why a push by name can be
	// ambiguous.
	Name string
	// Project is the project's name; empty is "default".
	Project string
	// Owner is the owning user's name; it must exist on the site.
	Owner string
	// HasExtracts says the content has an extract, so that it can be
	// refreshed through the API.
	HasExtracts bool
	// HiddenFrom names users who may not see the content: for them it
	// does not exist (404, and missing from lists).
	HiddenFrom []string
	// Connections are the content's connections.
	Connections []Connection
}

// Connection is one connection, with what it holds. The fake returns its
// password only through Server.Connection, never over the API.
type Connection struct {
	// ID is assigned by the fake when empty.
	ID                 string
	Type               string // such as "snowflake" or "sqlproxy"
	ServerAddress      string
	ServerPort         string
	UserName           string
	Password           string
	EmbedPassword      bool
	AuthenticationType string
	// Datasource names the published data source a workbook connection
	// goes through (type "sqlproxy").
	Datasource string
	// Updates counts the updates the connection received.
	Updates int
}

type site struct {
	id, contentURL string
	users          map[string]*user // by name
	pats           map[string]*pat  // by token name
	apps           map[string]*app  // by client id
	content        []*item          // datasources and workbooks, in creation order
}

type user struct {
	id, name string
	role     Role
}

type pat struct {
	secret, user string
	revoked      bool
}

type app struct {
	secrets map[string]string // secret id → value
}

type item struct {
	kind, id, contentURL string
	spec                 Content
	ownerID, projectID   string
	conns                []*Connection
}

func (it *item) hiddenFrom(u *user) bool {
	for _, n := range it.spec.HiddenFrom {
		if strings.EqualFold(n, u.name) {
			return true
		}
	}
	return false
}

// newID returns a random LUID in Tableau's form, a UUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newToken returns a random session token.
func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x", b)
}

// AddSite adds a site with the given contentUrl (the default site, "",
// exists from the start) and returns its id.
func (s *Server) AddSite(contentURL string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addSite(contentURL).id
}

func (s *Server) addSite(contentURL string) *site {
	st := &site{id: newID(), contentURL: contentURL, users: map[string]*user{}, pats: map[string]*pat{}, apps: map[string]*app{}}
	s.sites = append(s.sites, st)
	return st
}

// siteByURL finds a site by contentUrl, without regard to case. The
// fake's assumption: Tableau treats site content URLs as case-insensitive.
func (s *Server) siteByURL(contentURL string) *site {
	for _, st := range s.sites {
		if strings.EqualFold(st.contentURL, contentURL) {
			return st
		}
	}
	return nil
}

func (s *Server) siteByID(id string) *site {
	for _, st := range s.sites {
		if st.id == id {
			return st
		}
	}
	return nil
}

func (s *Server) mustSite(contentURL string) *site {
	st := s.siteByURL(contentURL)
	if st == nil {
		panic(fmt.Sprintf("tableaufake: no site %q", contentURL))
	}
	return st
}

// AddUser adds a user to a site and returns its id.
func (s *Server) AddUser(siteURL, name string, role Role) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &user{id: newID(), name: name, role: role}
	s.mustSite(siteURL).users[strings.ToLower(name)] = u
	return u.id
}

// AddPAT gives a user of a site a personal access token.
func (s *Server) AddPAT(siteURL, userName, tokenName, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustSite(siteURL)
	if st.users[strings.ToLower(userName)] == nil {
		panic(fmt.Sprintf("tableaufake: no user %q on site %q", userName, siteURL))
	}
	st.pats[tokenName] = &pat{secret: secret, user: strings.ToLower(userName)}
}

// RevokePAT revokes a personal access token: sign-ins with it fail.
func (s *Server) RevokePAT(siteURL, tokenName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.mustSite(siteURL).pats[tokenName]; p != nil {
		p.revoked = true
	}
}

// AddConnectedApp registers a connected app with direct trust on a site,
// with one secret.
func (s *Server) AddConnectedApp(siteURL, clientID, secretID, secretValue string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustSite(siteURL)
	a := st.apps[clientID]
	if a == nil {
		a = &app{secrets: map[string]string{}}
		st.apps[clientID] = a
	}
	a.secrets[secretID] = secretValue
}

// AddDatasource publishes a data source and returns its id.
func (s *Server) AddDatasource(siteURL string, c Content) string {
	return s.addItem(siteURL, kindDatasource, c)
}

// AddWorkbook publishes a workbook and returns its id.
func (s *Server) AddWorkbook(siteURL string, c Content) string {
	return s.addItem(siteURL, kindWorkbook, c)
}

func (s *Server) addItem(siteURL, kind string, c Content) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustSite(siteURL)
	owner := st.users[strings.ToLower(c.Owner)]
	if owner == nil {
		panic(fmt.Sprintf("tableaufake: no owner %q on site %q", c.Owner, siteURL))
	}
	if c.Project == "" {
		c.Project = "default"
	}
	it := &item{kind: kind, id: newID(), contentURL: strings.ReplaceAll(c.Name, " ", ""), spec: c, ownerID: owner.id, projectID: s.projectID(c.Project)}
	for _, conn := range c.Connections {
		cp := conn
		if cp.ID == "" {
			cp.ID = newID()
		}
		it.conns = append(it.conns, &cp)
	}
	it.spec.Connections = nil
	st.content = append(st.content, it)
	return it.id
}

// projectID gives each project name a stable id.
func (s *Server) projectID(name string) string {
	if id, ok := s.projects[name]; ok {
		return id
	}
	id := newID()
	s.projects[name] = id
	return id
}

// find returns the item with the given id on any site.
func (s *Server) find(id string) *item {
	for _, st := range s.sites {
		for _, it := range st.content {
			if it.id == id {
				return it
			}
		}
	}
	return nil
}

// Connections returns a copy of the connections of the content with the
// given id, passwords included; nil if there is no such content.
func (s *Server) Connections(contentID string) []Connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.find(contentID)
	if it == nil {
		return nil
	}
	out := make([]Connection, len(it.conns))
	for i, c := range it.conns {
		out[i] = *c
	}
	return out
}
