package tableaufake

import (
	"net/http"
	"strconv"
	"strings"
)

// call is a routed request: the operation's name (for faults and
// counts), whether it needs a session, the site id in its path, and the
// handler with the ids parsed out of the path.
type call struct {
	op           string
	needsSession bool
	siteID       string
	run          func(s *Server, r *http.Request, ss *session, body []byte) (int, *response, *APIError)
}

type handler = func(s *Server, r *http.Request, ss *session, body []byte) (int, *response, *APIError)

// route maps a request onto an operation:
//
//	GET  /api/{v}/serverinfo                                      ServerInfo
//	POST /api/{v}/auth/signin                                     SignIn
//	POST /api/{v}/auth/signout                                    SignOut
//	GET  /api/{v}/sites/{site}/datasources                        QueryDatasources
//	GET  /api/{v}/sites/{site}/datasources/{id}                   QueryDatasource
//	GET  /api/{v}/sites/{site}/datasources/{id}/connections       QueryDatasourceConnections
//	PUT  /api/{v}/sites/{site}/datasources/{id}/connections/{c}   UpdateDatasourceConnection
//	POST /api/{v}/sites/{site}/datasources/{id}/refresh           UpdateDatasourceNow
//	(the same for workbooks)
//	GET  /api/{v}/sites/{site}/jobs/{job}                         QueryJob
func (s *Server) route(r *http.Request) (call, *APIError) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 3 || parts[0] != "api" {
		return call{}, unknownResource(r.URL.Path)
	}
	s.mu.Lock()
	newest := s.version
	s.mu.Unlock()
	if !versionAtMost(parts[1], newest) {
		return call{}, unknownResource(r.URL.Path)
	}
	v, rest := parts[1], parts[2:]
	m := r.Method
	switch {
	case m == http.MethodGet && len(rest) == 1 && strings.EqualFold(rest[0], "serverinfo"):
		return call{op: OpServerInfo, run: serverInfo}, nil
	case m == http.MethodPost && len(rest) == 2 && rest[0] == "auth" && rest[1] == "signin":
		return call{op: OpSignIn, run: func(s *Server, r *http.Request, _ *session, b []byte) (int, *response, *APIError) {
			return s.signIn(v, b)
		}}, nil
	case m == http.MethodPost && len(rest) == 2 && rest[0] == "auth" && rest[1] == "signout":
		return call{op: OpSignOut, needsSession: true, run: signOut}, nil
	case len(rest) >= 3 && rest[0] == "sites":
		return routeSite(r, rest[1], rest[2:])
	}
	return call{}, unknownResource(r.URL.Path)
}

func routeSite(r *http.Request, siteID string, rest []string) (call, *APIError) {
	m := r.Method
	mk := func(op string, h handler) (call, *APIError) {
		return call{op: op, needsSession: true, siteID: siteID, run: h}, nil
	}
	if rest[0] == "jobs" && len(rest) == 2 && m == http.MethodGet {
		job := rest[1]
		return mk(OpQueryJob, func(s *Server, _ *http.Request, ss *session, _ []byte) (int, *response, *APIError) {
			return s.queryJob(ss, job)
		})
	}
	var kind string
	var ops [5]string
	switch rest[0] {
	case "datasources":
		kind = kindDatasource
		ops = [5]string{OpQueryDatasources, OpQueryDatasource, OpQueryDatasourceConnections, OpUpdateDatasourceConnection, OpUpdateDatasourceNow}
	case "workbooks":
		kind = kindWorkbook
		ops = [5]string{OpQueryWorkbooks, OpQueryWorkbook, OpQueryWorkbookConnections, OpUpdateWorkbookConnection, OpUpdateWorkbookNow}
	default:
		return call{}, unknownResource(r.URL.Path)
	}
	switch {
	case len(rest) == 1 && m == http.MethodGet:
		return mk(ops[0], func(s *Server, r *http.Request, ss *session, _ []byte) (int, *response, *APIError) {
			return s.queryItems(ss, kind, r)
		})
	case len(rest) == 2 && m == http.MethodGet:
		id := rest[1]
		return mk(ops[1], func(s *Server, _ *http.Request, ss *session, _ []byte) (int, *response, *APIError) {
			return s.queryItem(ss, kind, id)
		})
	case len(rest) == 3 && rest[2] == "connections" && m == http.MethodGet:
		id := rest[1]
		return mk(ops[2], func(s *Server, _ *http.Request, ss *session, _ []byte) (int, *response, *APIError) {
			return s.queryConnections(ss, kind, id)
		})
	case len(rest) == 4 && rest[2] == "connections" && m == http.MethodPut:
		id, conn := rest[1], rest[3]
		return mk(ops[3], func(s *Server, _ *http.Request, ss *session, b []byte) (int, *response, *APIError) {
			return s.updateConnection(ss, kind, id, conn, b)
		})
	case len(rest) == 3 && rest[2] == "refresh" && m == http.MethodPost:
		id := rest[1]
		return mk(ops[4], func(s *Server, r *http.Request, ss *session, b []byte) (int, *response, *APIError) {
			return s.refreshNow(r.Context(), ss, kind, id, b)
		})
	}
	return call{}, unknownResource(r.URL.Path)
}

// versionAtMost reports whether v, "major.minor", is a version no newer
// than newest.
func versionAtMost(v, newest string) bool {
	a, ok1 := parseVersion(v)
	b, ok2 := parseVersion(newest)
	return ok1 && ok2 && (a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1]))
}

func parseVersion(v string) ([2]int, bool) {
	maj, mi, ok := strings.Cut(v, ".")
	if !ok {
		return [2]int{}, false
	}
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(mi)
	return [2]int{a, b}, err1 == nil && err2 == nil && a >= 0 && b >= 0
}

func serverInfo(s *Server, _ *http.Request, _ *session, _ []byte) (int, *response, *APIError) {
	return http.StatusOK, &response{ServerInfo: &serverInfoXML{
		ProductVersion: productVersionXML{Build: "20242.24.0000.0000", Value: "2024.2.0"},
		RestAPIVersion: s.version,
	}}, nil
}
