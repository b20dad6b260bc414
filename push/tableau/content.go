package tableau

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/snowpat/snowpat/push/driver"
)

// pageSize is how many items a page of a query asks for: the API's
// default, well under its maximum of 1000.
const pageSize = 100

// maxPages bounds a query's pages, so that a server whose pagination
// never ends cannot keep a push going forever.
const maxPages = 1000

// luid matches Tableau's ids (LUIDs), which are UUIDs.
var luid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// kind is what a URL's path names: data sources or workbooks.
type kind struct {
	plural, singular    string // path segment and the API's element name
	queryAll, queryOne  string
	connections, update string
	refresh             string
}

var (
	datasources = kind{"datasources", "datasource", "QueryDatasources", "QueryDatasource",
		"QueryDatasourceConnections", "UpdateDatasourceConnection", "UpdateDatasourceNow"}
	workbooks = kind{"workbooks", "workbook", "QueryWorkbooks", "QueryWorkbook",
		"QueryWorkbookConnections", "UpdateWorkbookConnection", "UpdateWorkbookNow"}
)

// item is the content found.
type item struct {
	id, name, project string
	hasExtracts       bool
}

// find finds the content by id or by name. A name that looks like an id
// is tried as an id first and then as a name, so content named like a
// LUID can still be addressed.
func (d *dest) find(ctx context.Context, s *session) (item, error) {
	if luid.MatchString(d.content) {
		var out tsResponse
		err := s.do(ctx, d.kind.queryOne, http.MethodGet, "/"+d.kind.plural+"/"+url.PathEscape(strings.ToLower(d.content)), nil, nil, &out, true)
		if it := out.item(d.kind); err == nil && it != nil {
			return toItem(*it), nil
		}
		if e, ok := errors.AsType[*APIError](err); !ok || e.Status != http.StatusNotFound {
			if err == nil {
				err = fail(driver.CodeInvalidArgument, "%s: the answer has no %s element", d.kind.queryOne, d.kind.singular)
			}
			return item{}, err
		}
	}
	return d.findByName(ctx, s)
}

func (r *tsResponse) item(k kind) *itemXML {
	if k.singular == "datasource" {
		return r.Datasource
	}
	return r.Workbook
}

func (r *tsResponse) items(k kind) []itemXML {
	if k.singular == "datasource" {
		return r.Datasources
	}
	return r.Workbooks
}

func toItem(x itemXML) item {
	return item{id: x.ID, name: x.Name, project: x.Project.Name, hasExtracts: x.HasExtracts == "true"}
}

// findByName pages through the content with the name. It filters on the
// server (filter=name:eq:<name>) unless the name holds a comma, which
// separates filter expressions and cannot be escaped; then it lists every
// item. Either way it keeps only exact matches. Names are unique per
// project, not per site: two matches are an error that asks for the id.
func (d *dest) findByName(ctx context.Context, s *session) (item, error) {
	var filter string
	if !strings.Contains(d.content, ",") {
		filter = "name:eq:" + d.content
	}
	var found []item
	for page := 1; ; page++ {
		q := url.Values{"pageSize": {strconv.Itoa(pageSize)}, "pageNumber": {strconv.Itoa(page)}}
		if filter != "" {
			q.Set("filter", filter)
		}
		var out tsResponse
		if err := s.do(ctx, d.kind.queryAll, http.MethodGet, "/"+d.kind.plural, q, nil, &out, true); err != nil {
			return item{}, err
		}
		items := out.items(d.kind)
		for _, x := range items {
			if x.Name == d.content {
				found = append(found, toItem(x))
			}
		}
		if out.Pagination == nil || len(items) == 0 || page*pageSize >= out.Pagination.TotalAvailable {
			break
		}
		if page >= maxPages {
			return item{}, fail(driver.CodeInvalidArgument, "%s: more than %d pages", d.kind.queryAll, maxPages)
		}
	}
	switch len(found) {
	case 0:
		return item{}, fail(driver.CodeNotFound, "no %s named %q on the site that the signed-in user may see", d.kind.singular, d.content)
	case 1:
		return found[0], nil
	}
	var where []string
	for _, f := range found {
		where = append(where, f.id+" in project "+strconv.Quote(f.project))
	}
	return item{}, fail(driver.CodeInvalidArgument, "%d %ss are named %q (%s); name one by its id", len(found), d.kind.singular, d.content, strings.Join(where, ", "))
}

// connections reads the content's connections.
func (d *dest) connections(ctx context.Context, s *session, it item) ([]driver.Connection, error) {
	var out tsResponse
	if err := s.do(ctx, d.kind.connections, http.MethodGet, "/"+d.kind.plural+"/"+it.id+"/connections", nil, nil, &out, true); err != nil {
		return nil, err
	}
	conns := make([]driver.Connection, 0, len(out.Connections))
	for _, c := range out.Connections {
		server := c.ServerAddress
		if c.ServerPort != "" {
			server += ":" + c.ServerPort
		}
		conns = append(conns, driver.Connection{ID: c.ID, Type: c.Type, Server: server, User: c.UserName,
			Snowflake: strings.EqualFold(c.Type, "snowflake") && passwordAuth(c.AuthenticationType)})
	}
	return conns, nil
}

// passwordAuth reports whether a connection's authenticationType takes a
// user name and password. Tableau omits the attribute on older servers;
// a Snowflake connection signed in with OAuth must not be turned into a
// password connection, so any type that names OAuth, a key pair or SSO is
// left alone.
func passwordAuth(t string) bool {
	t = strings.ToLower(t)
	return !slices.ContainsFunc([]string{"oauth", "key", "sso", "saml", "okta"}, func(s string) bool { return strings.Contains(t, s) })
}

// update writes the credential into one connection, password embedded.
func (d *dest) update(ctx context.Context, s *session, it item, connID string, cred driver.Credential) error {
	var req updateConnectionRequest
	req.Connection.UserName = cred.User
	req.Connection.Password = cred.Secret.Reveal()
	req.Connection.EmbedPassword = "true"
	body, err := xml.Marshal(req)
	if err != nil {
		return err
	}
	var out tsResponse
	return s.do(ctx, d.kind.update, http.MethodPut, "/"+d.kind.plural+"/"+it.id+"/connections/"+url.PathEscape(connID), nil, body, &out, true)
}
