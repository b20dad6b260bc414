package k8ssecret

import (
	"errors"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// New returns a Store over the Secret name in namespace through client,
// which the caller configured and keeps.
func New(client kubernetes.Interface, namespace, name string) (*secrets.Store, error) {
	s, err := newSecret(client, namespace, name)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(s), nil
}

// NewDriver is New's driver, for programs and tests that wrap drivers
// (a fault injector, say) before making a Store of them.
func NewDriver(client kubernetes.Interface, namespace, name string) (driver.Secret, error) {
	s, err := newSecret(client, namespace, name)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// secret is the driver: one Kubernetes Secret.
type secret struct {
	client    kubernetes.Interface
	api       corev1client.SecretInterface
	namespace string
	name      string
	now       func() time.Time
	onClose   func() // closes the connections of a client the URL opener made
}

var (
	_ driver.Secret            = (*secret)(nil)
	_ driver.CompareAndSwapper = (*secret)(nil)
	_ driver.Destroyer         = (*secret)(nil)
)

// newSecret checks the names by Kubernetes' rules, so that a bad name
// fails here rather than at the first write.
func newSecret(client kubernetes.Interface, namespace, name string) (*secret, error) {
	if client == nil {
		return nil, invalidArg("a nil kubernetes.Interface")
	}
	if msgs := validation.IsDNS1123Label(namespace); len(msgs) > 0 {
		return nil, invalidArg("namespace %q: %s", namespace, msgs[0])
	}
	if msgs := validation.IsDNS1123Subdomain(name); len(msgs) > 0 {
		return nil, invalidArg("Secret name %q: %s", name, msgs[0])
	}
	return &secret{
		client: client, api: client.CoreV1().Secrets(namespace),
		namespace: namespace, name: name,
		now: func() time.Time { return time.Now().UTC() },
	}, nil
}

func (s *secret) ErrorCode(err error) driver.ErrorCode { return errorCode(err) }

// As supports *kubernetes.Interface and *corev1client.SecretInterface.
func (s *secret) As(i any) bool {
	switch p := i.(type) {
	case *kubernetes.Interface:
		*p = s.client
	case *corev1client.SecretInterface:
		*p = s.api
	default:
		return false
	}
	return true
}

// ErrorAs is errors.As: the API server's *apierrors.StatusError is in the
// chain as client-go returned it, and so is its Status through an
// interface target (apierrors.APIStatus).
func (s *secret) ErrorAs(err error, i any) bool { return errors.As(err, i) }

// Close closes the idle connections of a client the URL opener made; a
// client passed to New is the caller's.
func (s *secret) Close() error {
	if s.onClose != nil {
		s.onClose()
	}
	return nil
}
