package tableaufake

import (
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// maxPageSize is the largest page the REST API serves; defaultPageSize is
// what a request without pageSize gets.
const (
	maxPageSize     = 1000
	defaultPageSize = 100
)

// The connected-app scopes the fake enforces.
const (
	scopeRead              = "tableau:content:read"
	scopeUpdateDatasources = "tableau:datasources:update"
	scopeUpdateWorkbooks   = "tableau:workbooks:update"
)

func (s *Server) caller(ss *session) (*site, *user) {
	st := s.siteByID(ss.siteID)
	for _, u := range st.users {
		if u.id == ss.userID {
			return st, u
		}
	}
	return st, nil
}

func scopeDenied(scope string) *APIError {
	return forbidden("The connected app's token does not grant the scope " + scope + ".")
}

// visible returns the site's items of kind the caller may see.
func visible(st *site, u *user, kind string) []*item {
	var out []*item
	for _, it := range st.content {
		if it.kind == kind && !it.hiddenFrom(u) {
			out = append(out, it)
		}
	}
	return out
}

// lookup finds an item the caller may see; otherwise it does not exist.
func (s *Server) lookup(ss *session, kind, id string) (*site, *user, *item, *APIError) {
	st, u := s.caller(ss)
	if st == nil || u == nil {
		return nil, nil, nil, siteNotFound()
	}
	for _, it := range visible(st, u, kind) {
		if it.id == id {
			return st, u, it, nil
		}
	}
	return nil, nil, nil, contentNotFound(kind, id)
}

// queryItems handles Query Data Sources / Query Workbooks for Site:
// filter=name:eq:<name> (the only filter the fake knows), pageSize and
// pageNumber.
func (s *Server) queryItems(ss *session, kind string, r *http.Request) (int, *response, *APIError) {
	if !ss.allows(scopeRead) {
		return 0, nil, scopeDenied(scopeRead)
	}
	st, u := s.caller(ss)
	q := r.URL.Query()
	size, number := defaultPageSize, 1
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, badRequest("400007", "Invalid page size", "The page size '%s' is not an integer or is less than one.", v)
		}
		if n > maxPageSize {
			return 0, nil, &APIError{Status: http.StatusForbidden, Code: "403014", Summary: "Page size limit exceeded", Detail: "The specified page size is larger than the maximum page size."}
		}
		size = n
	}
	if v := q.Get("pageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, badRequest("400006", "Invalid page number", "The page number '%s' is not an integer or is less than one.", v)
		}
		number = n
	}
	items := visible(st, u, kind)
	if f := q.Get("filter"); f != "" {
		name, e := nameFilter(f)
		if e != nil {
			return 0, nil, e
		}
		var kept []*item
		for _, it := range items {
			if it.spec.Name == name {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	start := (number - 1) * size
	if start >= len(items) && len(items) > 0 {
		return 0, nil, badRequest("400006", "Invalid page number", "The start index '%d' is greater than or equal to the total count.", start)
	}
	page := items[min(start, len(items)):min(start+size, len(items))]
	out := &response{Pagination: &paginationXML{PageNumber: number, PageSize: size, TotalAvailable: len(items)}}
	xs := make([]contentXML, len(page))
	for i, it := range page {
		xs[i] = it.xml()
	}
	if kind == kindDatasource {
		out.Datasources = &datasourcesXML{Items: xs}
	} else {
		out.Workbooks = &workbooksXML{Items: xs}
	}
	return http.StatusOK, out, nil
}

// nameFilter parses filter=name:eq:<value>. Expressions are separated by
// commas and each is field:operator:value, so the value ends at the first
// comma (the reason a client must not filter on a name with a comma in
// it) and may hold colons.
func nameFilter(f string) (string, *APIError) {
	if strings.Contains(f, ",") {
		return "", badRequest("400065", "Bad Request", "The filter expression '%s' is not valid: the fake supports a single name:eq expression.", f)
	}
	parts := strings.SplitN(f, ":", 3)
	if len(parts) != 3 || parts[0] != "name" || parts[1] != "eq" {
		return "", badRequest("400065", "Bad Request", "The filter expression '%s' is not valid.", f)
	}
	return parts[2], nil
}

func (it *item) xml() contentXML {
	x := contentXML{ID: it.id, Name: it.spec.Name, ContentURL: it.contentURL, Project: idRef{ID: it.projectID, Name: it.spec.Project}, Owner: idRef{ID: it.ownerID}}
	if it.kind == kindDatasource {
		x.HasExtracts = strconv.FormatBool(it.spec.HasExtracts)
		if len(it.conns) > 0 {
			x.Type = it.conns[0].Type
		}
	}
	return x
}

func (s *Server) queryItem(ss *session, kind, id string) (int, *response, *APIError) {
	if !ss.allows(scopeRead) {
		return 0, nil, scopeDenied(scopeRead)
	}
	_, _, it, e := s.lookup(ss, kind, id)
	if e != nil {
		return 0, nil, e
	}
	x := it.xml()
	if kind == kindDatasource {
		return http.StatusOK, &response{Datasource: &x}, nil
	}
	return http.StatusOK, &response{Workbook: &x}, nil
}

func (c *Connection) xml() connectionXML {
	x := connectionXML{ID: c.ID, Type: c.Type, ServerAddress: c.ServerAddress, ServerPort: c.ServerPort, UserName: c.UserName,
		EmbedPassword: strconv.FormatBool(c.EmbedPassword), AuthenticationType: c.AuthenticationType}
	if c.Datasource != "" {
		x.Datasource = &idRef{ID: stableID(c.Datasource), Name: c.Datasource}
	}
	return x
}

// queryConnections lists a data source's or workbook's connections. The
// list is not paged, as on the server.
func (s *Server) queryConnections(ss *session, kind, id string) (int, *response, *APIError) {
	if !ss.allows(scopeRead) {
		return 0, nil, scopeDenied(scopeRead)
	}
	_, _, it, e := s.lookup(ss, kind, id)
	if e != nil {
		return 0, nil, e
	}
	xs := make([]connectionXML, len(it.conns))
	for i, c := range it.conns {
		xs[i] = c.xml()
	}
	return http.StatusOK, &response{Connections: &connectionsXML{Items: xs}}, nil
}

// updateConnection handles Update Data Source Connection / Update Workbook
// Connection. Only the owner and site administrators may update; the
// answer is the connection without its password.
func (s *Server) updateConnection(ss *session, kind, id, connID string, body []byte) (int, *response, *APIError) {
	scope := scopeUpdateDatasources
	if kind == kindWorkbook {
		scope = scopeUpdateWorkbooks
	}
	if !ss.allows(scope) {
		return 0, nil, scopeDenied(scope)
	}
	_, u, it, e := s.lookup(ss, kind, id)
	if e != nil {
		return 0, nil, e
	}
	if u.role != RoleSiteAdministrator && u.id != it.ownerID {
		return 0, nil, forbidden("The user does not own the " + kind + " and is not a site administrator.")
	}
	var conn *Connection
	for _, c := range it.conns {
		if c.ID == connID {
			conn = c
		}
	}
	if conn == nil {
		return 0, nil, connectionNotFound(connID)
	}
	var req request
	if err := xml.Unmarshal(body, &req); err != nil || req.Connection == nil {
		return 0, nil, badRequest("400000", "Bad Request", "The request must carry a connection element.")
	}
	in := req.Connection
	if in.EmbedPassword != nil && *in.EmbedPassword != "true" && *in.EmbedPassword != "false" {
		return 0, nil, badRequest("400000", "Bad Request", "embedPassword must be true or false.")
	}
	if in.ServerAddress != nil {
		conn.ServerAddress = *in.ServerAddress
	}
	if in.ServerPort != nil {
		conn.ServerPort = *in.ServerPort
	}
	if in.UserName != nil {
		conn.UserName = *in.UserName
	}
	if in.Password != nil {
		conn.Password = *in.Password
	}
	if in.EmbedPassword != nil {
		conn.EmbedPassword = *in.EmbedPassword == "true"
	}
	conn.Updates++
	x := conn.xml()
	return http.StatusOK, &response{Connection: &x}, nil
}

// stableID is a UUID-shaped id derived from a name, so that a workbook
// connection names the same published data source in every answer.
func stableID(name string) string {
	b := sha256.Sum256([]byte(name))
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
