package awsfake

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Region and Account are what the fake puts in ARNs.
const (
	Region  = "us-east-1"
	Account = "123456789012"
)

// maxBody bounds a request body: the largest legal one (a 64 KiB secret,
// base64-encoded, in JSON) fits with room to spare.
const maxBody = 1 << 20

// Server is an in-process Secrets Manager. Its methods are safe for
// concurrent use.
type Server struct {
	srv *httptest.Server
	f   faults

	mu      sync.Mutex
	secrets map[string]*secret // by name, including those scheduled for deletion
	now     func() time.Time
}

type handler func(s *Server, body []byte) (any, *APIError)

var operations = map[string]handler{
	"CreateSecret":             (*Server).createSecret,
	"PutSecretValue":           (*Server).putSecretValue,
	"GetSecretValue":           (*Server).getSecretValue,
	"UpdateSecretVersionStage": (*Server).updateSecretVersionStage,
	"DescribeSecret":           (*Server).describeSecret,
	"ListSecretVersionIds":     (*Server).listSecretVersionIds,
	"ListSecrets":              (*Server).listSecrets,
	"DeleteSecret":             (*Server).deleteSecret,
	"RestoreSecret":            (*Server).restoreSecret,
	"TagResource":              (*Server).tagResource,
	"UntagResource":            (*Server).untagResource,
}

// New starts a Server on a loopback port. Close it when done.
func New() *Server {
	s := &Server{secrets: map[string]*secret{}, now: time.Now}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the endpoint to give the SDK as BaseEndpoint.
func (s *Server) URL() string { return s.srv.URL }

// HTTPClient returns an HTTP client whose idle connections Close closes.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// Close releases held calls, shuts the server down and closes the idle
// connections of HTTPClient's client, so that no goroutine outlives it.
func (s *Server) Close() {
	s.f.Close()
	s.srv.Close()
}

// SetClock replaces the server's clock, which stamps creation and
// deletion dates and decides when deprecated versions may be purged.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager.")
	h, known := operations[op]
	if r.Method != http.MethodPost || r.URL.Path != "/" || !ok || !known {
		writeError(w, clientError("UnknownOperationException", "unknown operation"))
		return
	}
	// The body is read before any fault is applied: only then does the
	// server notice a client that hangs up on a held or delayed call.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeError(w, clientError("SerializationException", "the request body could not be read"))
		return
	}
	if e := s.f.intercept(r.Context(), op); e != nil {
		writeError(w, e)
		return
	}
	// Only the presence of a SigV4 header is checked: the fake is not a
	// test of the SDK's signer.
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		writeError(w, &APIError{Status: http.StatusForbidden, Type: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"})
		return
	}
	if s.denied(body) {
		writeError(w, AccessDenied())
		return
	}
	out, e := h(s, body)
	if s.lostAnswer(w, op, body) {
		return
	}
	if e != nil {
		writeError(w, e)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", newID())
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, e *APIError) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", newID())
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Type, "Message": e.Message})
}

// secretName is the name of the secret a request names, by name or by
// ARN; "" when it names none.
func (s *Server) secretName(body []byte) string {
	var ids struct{ SecretId, Name string }
	_ = json.Unmarshal(body, &ids)
	id := ids.SecretId
	if id == "" {
		id = ids.Name
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sec := s.lookup(id); sec != nil {
		return sec.name
	}
	return id
}

// denied reports whether the request names a secret Deny refuses, by
// name or by ARN.
func (s *Server) denied(body []byte) bool {
	var ids struct{ SecretId, Name string }
	_ = json.Unmarshal(body, &ids)
	for _, id := range []string{ids.SecretId, ids.Name} {
		if id == "" {
			continue
		}
		if s.f.isDenied(id) {
			return true
		}
		s.mu.Lock()
		sec := s.lookup(id)
		s.mu.Unlock()
		if sec != nil && s.f.isDenied(sec.name) {
			return true
		}
	}
	return false
}

// lookup finds a secret by name or ARN, including one scheduled for
// deletion. The caller holds s.mu.
func (s *Server) lookup(id string) *secret {
	if sec, ok := s.secrets[id]; ok {
		return sec
	}
	for _, sec := range s.secrets {
		if sec.arn == id {
			return sec
		}
	}
	return nil
}

// live finds a secret that is not scheduled for deletion, or returns the
// error Secrets Manager gives for reads and writes of one that is. The
// caller holds s.mu.
func (s *Server) live(id string) (*secret, *APIError) {
	sec := s.lookup(id)
	if sec == nil {
		return nil, notFound("Secrets Manager can't find the specified secret.")
	}
	if sec.deleteAt != nil {
		return nil, invalidRequest("You can't perform this operation on the secret because it was marked for deletion.")
	}
	return sec, nil
}

// newID returns a random UUID, the shape of the version ids Secrets
// Manager makes.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}

// arnFor returns a secret ARN with the random six-character suffix AWS
// appends to names.
func arnFor(name string) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return "arn:aws:secretsmanager:" + Region + ":" + Account + ":secret:" + name + "-" + string(b[:])
}
