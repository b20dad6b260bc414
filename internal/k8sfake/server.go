package k8sfake

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Request is one API request as the authorizer sees it.
type Request struct {
	Verb      string // get, create, update, list, patch, delete…
	Group     string // "" for core
	Resource  string // secrets, leases
	Namespace string
	Name      string // empty for create and list
}

// Server is the API's state, shared by every Link onto it. It is safe for
// concurrent use.
type Server struct {
	mu      sync.Mutex
	rev     uint64
	objects map[objectKey][]byte // stored JSON, with server-set metadata
	rules   []rbacv1.PolicyRule
	authz   bool
	user    string
	log     []Request
	faults  map[faultKey][]Applied // FailAfterApply's queues
}

type objectKey struct {
	res             *resource
	namespace, name string
}

// New returns an empty server that authorizes everything.
func New() *Server { return &Server{objects: map[objectKey][]byte{}} }

// Requests returns every request served so far, in order, whether it
// succeeded or not.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res, ns, name, ok := parsePath(r.URL.Path)
	if !ok {
		writeStatus(w, r, apierrors.NewNotFound(schema.GroupResource{}, "").Status(), "the server could not find the requested resource")
		return
	}
	req := Request{Verb: verbOf(r.Method, name), Group: res.group, Resource: res.name, Namespace: ns, Name: name}
	s.mu.Lock()
	s.log = append(s.log, req)
	s.mu.Unlock()
	if err := s.authorize(req); err != nil {
		writeErr(w, r, err)
		return
	}
	var obj object
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			obj, err = decodeBody(res, r.Header.Get("Content-Type"), body)
		}
		if err != nil {
			writeErr(w, r, err)
			return
		}
	}
	var out []byte
	var err error
	code := http.StatusOK
	switch req.Verb {
	case "get":
		out, err = s.get(res, ns, name)
	case "create":
		out, err = s.create(res, ns, obj)
		code = http.StatusCreated
	case "update":
		out, err = s.update(res, ns, name, obj)
	default:
		err = apierrors.NewMethodNotSupported(res.groupResource(), req.Verb)
	}
	target := name
	if obj != nil && target == "" {
		target = obj.meta().Name // a create names its object in the body
	}
	if a, ok := s.takeFault(req, target); ok {
		a.answer(w, r, res, req, target)
		return
	}
	if err != nil {
		writeErr(w, r, err)
		return
	}
	write(w, negotiate(r), code, stored(res, out), schema.GroupVersion{Group: res.group, Version: res.version})
}

// verbOf maps an HTTP method to the verb the authorizer checks.
func verbOf(method, name string) string {
	switch method {
	case http.MethodGet:
		if name == "" {
			return "list"
		}
		return "get"
	case http.MethodPost:
		return "create"
	case http.MethodPut:
		return "update"
	case http.MethodPatch:
		return "patch"
	case http.MethodDelete:
		if name == "" {
			return "deletecollection"
		}
		return "delete"
	}
	return strings.ToLower(method)
}

// parsePath splits /api/v1/namespaces/{ns}/{resource}[/{name}] and
// /apis/{group}/{version}/namespaces/{ns}/{resource}[/{name}].
func parsePath(p string) (res *resource, ns, name string, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	var gv string
	switch {
	case len(parts) >= 5 && parts[0] == "api" && parts[1] == "v1":
		gv, parts = "v1", parts[2:]
	case len(parts) >= 6 && parts[0] == "apis":
		gv, parts = parts[1]+"/"+parts[2], parts[3:]
	default:
		return nil, "", "", false
	}
	if parts[0] != "namespaces" || parts[1] == "" || len(parts) > 4 {
		return nil, "", "", false
	}
	for _, r := range resources {
		if r.groupVersion() == gv && r.name == parts[2] {
			if len(parts) == 4 {
				name = parts[3]
			}
			return r, parts[1], name, true
		}
	}
	return nil, "", "", false
}

func writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var se apierrors.APIStatus
	if !errors.As(err, &se) {
		se = apierrors.NewInternalError(err)
	}
	writeStatus(w, r, se.Status(), "")
}

// writeStatus sends a failure Status, in the negotiated format as the
// server does.
func writeStatus(w http.ResponseWriter, r *http.Request, st metav1.Status, message string) {
	st.Status = metav1.StatusFailure
	if message != "" {
		st.Message = message
	}
	if d := st.Details; d != nil && d.RetryAfterSeconds > 0 {
		// As the API server does, so that client-go resends.
		w.Header().Set("Retry-After", strconv.Itoa(int(d.RetryAfterSeconds)))
	}
	write(w, negotiate(r), int(st.Code), &st, schema.GroupVersion{Version: "v1"})
}
