package k8ssecret

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

const (
	testNS   = "snowpat"
	testName = "powerbi-pat"
)

// fixture is a fake API server, a client of it, and a Store over the
// Secret snowpat/powerbi-pat through that client.
type fixture struct {
	srv    *k8sfake.Server
	link   *k8sfake.Link
	client kubernetes.Interface
	store  *secrets.Store
}

func newFixture(t *testing.T, srv *k8sfake.Server) *fixture {
	t.Helper()
	if srv == nil {
		srv = k8sfake.New()
	}
	l := srv.Link()
	t.Cleanup(l.Close)
	c := l.Clientset()
	s, err := New(c, testNS, testName)
	require.NoError(t, err)
	return &fixture{srv: srv, link: l, client: c, store: s}
}

// object reads the Secret as a consumer with get access would.
func (f *fixture) object(t *testing.T) *corev1.Secret {
	t.Helper()
	obj, err := f.client.CoreV1().Secrets(testNS).Get(context.Background(), testName, metav1.GetOptions{})
	require.NoError(t, err)
	return obj
}

// recordFor is a version record: the current one, or a retired one.
func recordFor(id string, current bool, meta map[string]string) versionset.Record {
	r := versionset.Record{ID: id, Metadata: meta}
	if current {
		r.Stage, r.Enabled = driver.StageCurrent, true
	}
	return r
}
