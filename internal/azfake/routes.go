package azfake

import (
	"net/http"
	"strings"
)

// call is a routed request: the operation's name, for faults and counts,
// and the handler with the names parsed out of the path.
type call struct {
	op   string
	name string // the secret's name, as the path gives it
	run  func(s *Server, r *http.Request, body []byte) (int, any, *APIError)
}

// route maps a request onto an operation:
//
//	PUT    /secrets/{name}                    SetSecret
//	GET    /secrets/{name}[/]                 GetSecret, latest version
//	GET    /secrets/{name}/{version}          GetSecret
//	PATCH  /secrets/{name}/[{version}]        UpdateSecret
//	GET    /secrets/{name}/versions           GetSecretVersions
//	DELETE /secrets/{name}                    DeleteSecret
//	GET    /deletedsecrets/{name}             GetDeletedSecret
//	DELETE /deletedsecrets/{name}             PurgeDeletedSecret
//	POST   /deletedsecrets/{name}/recover     RecoverDeletedSecret
func route(r *http.Request) (call, *APIError) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[1] == "" {
		return call{}, routeNotFound(r)
	}
	name := parts[1]
	if !validName(name) {
		return call{}, badParameter("The request URI contains an invalid name: %s", name)
	}
	rest, hasRest := "", len(parts) == 3
	if hasRest {
		rest = parts[2]
	}
	switch parts[0] {
	case "secrets":
		switch {
		case r.Method == http.MethodPut && !hasRest:
			return call{OpSetSecret, name, func(s *Server, _ *http.Request, b []byte) (int, any, *APIError) { return s.setSecret(name, b) }}, nil
		case r.Method == http.MethodDelete && !hasRest:
			return call{OpDeleteSecret, name, func(s *Server, _ *http.Request, _ []byte) (int, any, *APIError) { return s.deleteSecret(name) }}, nil
		case r.Method == http.MethodGet && rest == "versions":
			return call{OpGetSecretVersions, name, func(s *Server, r *http.Request, _ []byte) (int, any, *APIError) { return s.listVersions(name, r) }}, nil
		case r.Method == http.MethodGet:
			return call{OpGetSecret, name, func(s *Server, _ *http.Request, _ []byte) (int, any, *APIError) { return s.getSecret(name, rest) }}, nil
		case r.Method == http.MethodPatch && hasRest:
			return call{OpUpdateSecret, name, func(s *Server, _ *http.Request, b []byte) (int, any, *APIError) { return s.updateSecret(name, rest, b) }}, nil
		}
	case "deletedsecrets":
		switch {
		case r.Method == http.MethodGet && !hasRest:
			return call{OpGetDeletedSecret, name, func(s *Server, _ *http.Request, _ []byte) (int, any, *APIError) { return s.getDeleted(name) }}, nil
		case r.Method == http.MethodDelete && !hasRest:
			return call{OpPurgeDeletedSecret, name, func(s *Server, _ *http.Request, _ []byte) (int, any, *APIError) { return s.purge(name) }}, nil
		case r.Method == http.MethodPost && rest == "recover":
			return call{OpRecoverDeletedSecret, name, func(s *Server, _ *http.Request, _ []byte) (int, any, *APIError) { return s.recover(name) }}, nil
		}
	}
	return call{}, routeNotFound(r)
}

func routeNotFound(r *http.Request) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "NotFound", Message: "No route for " + r.Method + " " + r.URL.Path}
}
