package k8sfake

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// get returns the stored object.
func (s *Server) get(res *resource, ns, name string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[objectKey{res, ns, name}]
	if !ok {
		return nil, apierrors.NewNotFound(res.groupResource(), name)
	}
	return b, nil
}

// stored decodes a stored object for a response.
func stored(res *resource, b []byte) runtime.Object {
	obj, _ := res.decode(b)
	return obj.runtimeObject()
}

// create stores a new object, as POST to the collection does.
func (s *Server) create(res *resource, ns string, obj object) ([]byte, error) {
	m := obj.meta()
	if err := checkNamespace(m, ns); err != nil {
		return nil, err
	}
	if m.ResourceVersion != "" {
		return nil, apierrors.NewBadRequest("resourceVersion should not be set on objects to be created")
	}
	if errs := res.validate(obj, nil); len(errs) > 0 {
		return nil, apierrors.NewInvalid(res.groupKind(), m.Name, errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := objectKey{res, ns, m.Name}
	if _, ok := s.objects[key]; ok {
		return nil, apierrors.NewAlreadyExists(res.groupResource(), m.Name)
	}
	m.UID = types.UID(newUID())
	m.CreationTimestamp = metav1.NewTime(time.Now().UTC().Truncate(time.Second))
	m.ManagedFields, m.Generation = nil, 0
	s.rev++
	m.ResourceVersion = strconv.FormatUint(s.rev, 10)
	b := res.encode(obj)
	s.objects[key] = b
	return b, nil
}

// update replaces a stored object, as PUT to its name does.
func (s *Server) update(res *resource, ns, name string, obj object) ([]byte, error) {
	m := obj.meta()
	if err := checkNamespace(m, ns); err != nil {
		return nil, err
	}
	if m.Name != name {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", m.Name, name))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := objectKey{res, ns, name}
	stored, ok := s.objects[key]
	if !ok {
		return nil, apierrors.NewNotFound(res.groupResource(), name)
	}
	if m.ResourceVersion == "" || m.ResourceVersion != revisionOf(stored) {
		return nil, apierrors.NewConflict(res.groupResource(), name,
			fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again"))
	}
	old, err := res.decode(stored)
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	if errs := res.validate(obj, old); len(errs) > 0 {
		return nil, apierrors.NewInvalid(res.groupKind(), name, errs)
	}
	om := old.meta()
	m.UID, m.CreationTimestamp, m.ManagedFields, m.Generation = om.UID, om.CreationTimestamp, nil, 0
	if b := res.encode(obj); bytes.Equal(b, stored) {
		return stored, nil // nothing changed: no write, same resourceVersion
	}
	s.rev++
	m.ResourceVersion = strconv.FormatUint(s.rev, 10)
	b := res.encode(obj)
	s.objects[key] = b
	return b, nil
}

func checkNamespace(m *metav1.ObjectMeta, ns string) error {
	switch m.Namespace {
	case "":
		m.Namespace = ns
	case ns:
	default:
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return nil
}

// revisionOf reads the resourceVersion of a stored object.
func revisionOf(stored []byte) string {
	var o struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
	}
	_ = json.Unmarshal(stored, &o)
	return o.Metadata.ResourceVersion
}

func newUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Object returns the stored JSON of an object, or nil, for tests that
// look behind the API.
func (s *Server) Object(group, resource, namespace, name string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range resources {
		if r.group == group && r.name == resource {
			return s.objects[objectKey{r, namespace, name}]
		}
	}
	return nil
}
