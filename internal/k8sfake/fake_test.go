package k8sfake

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

func newClient(t *testing.T, srv *Server) (kubernetes.Interface, *Link) {
	t.Helper()
	l := srv.Link()
	t.Cleanup(l.Close)
	return l.Clientset(), l
}

// Optimistic concurrency as client-go sees it: a stale resourceVersion is
// 409 Conflict, a write that changes nothing keeps the resourceVersion.
func TestResourceVersionConflicts(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, New())
	secrets := c.CoreV1().Secrets("ns")
	created, err := secrets.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"},
		StringData: map[string]string{"token": "t1"}}, metav1.CreateOptions{})
	require.NoError(t, err)
	assert.Equal(t, []byte("t1"), created.Data["token"], "stringData is merged into data")
	assert.Equal(t, corev1.SecretTypeOpaque, created.Type)
	assert.NotEmpty(t, created.UID)

	_, err = secrets.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"}}, metav1.CreateOptions{})
	assert.True(t, apierrors.IsAlreadyExists(err), "%v", err)

	a := created.DeepCopy()
	a.Data["token"] = []byte("t2")
	updated, err := secrets.Update(ctx, a, metav1.UpdateOptions{})
	require.NoError(t, err)
	assert.NotEqual(t, created.ResourceVersion, updated.ResourceVersion)

	stale := created.DeepCopy()
	stale.Data["token"] = []byte("t3")
	_, err = secrets.Update(ctx, stale, metav1.UpdateOptions{})
	require.True(t, apierrors.IsConflict(err), "%v", err)
	assert.Contains(t, err.Error(), "the object has been modified")

	same, err := secrets.Update(ctx, updated.DeepCopy(), metav1.UpdateOptions{})
	require.NoError(t, err)
	assert.Equal(t, updated.ResourceVersion, same.ResourceVersion, "a no-op update writes nothing")

	blind := updated.DeepCopy()
	blind.ResourceVersion = ""
	_, err = secrets.Update(ctx, blind, metav1.UpdateOptions{})
	assert.True(t, apierrors.IsConflict(err), "unconditional updates are refused: %v", err)

	_, err = secrets.Get(ctx, "missing", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "%v", err)
	_, err = secrets.Update(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "missing", ResourceVersion: "1"}}, metav1.UpdateOptions{})
	assert.True(t, apierrors.IsNotFound(err), "%v", err)
}

// The validation the real API server applies to the fields snowpat writes.
func TestValidation(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, New())
	secrets := c.CoreV1().Secrets("ns")
	for name, s := range map[string]*corev1.Secret{
		"bad name":     {ObjectMeta: metav1.ObjectMeta{Name: "Upper_Case"}},
		"bad key":      {ObjectMeta: metav1.ObjectMeta{Name: "s"}, Data: map[string][]byte{"a/b": nil}},
		"too big":      {ObjectMeta: metav1.ObjectMeta{Name: "s"}, Data: map[string][]byte{"a": make([]byte, corev1.MaxSecretSize+1)}},
		"annotations":  {ObjectMeta: metav1.ObjectMeta{Name: "s", Annotations: map[string]string{"a": string(make([]byte, 256<<10))}}},
		"bad label":    {ObjectMeta: metav1.ObjectMeta{Name: "s", Labels: map[string]string{"a": "b c"}}},
		"other ns":     {ObjectMeta: metav1.ObjectMeta{Name: "s", Namespace: "other"}},
		"version set":  {ObjectMeta: metav1.ObjectMeta{Name: "s", ResourceVersion: "5"}},
		"missing name": {},
	} {
		_, err := secrets.Create(ctx, s, metav1.CreateOptions{})
		assert.True(t, apierrors.IsInvalid(err) || apierrors.IsBadRequest(err), "%s: %v", name, err)
	}
	imm := true
	s, err := secrets.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "imm"}, Immutable: &imm,
		Data: map[string][]byte{"a": []byte("1")}}, metav1.CreateOptions{})
	require.NoError(t, err)
	s.Data["a"] = []byte("2")
	_, err = secrets.Update(ctx, s, metav1.UpdateOptions{})
	assert.True(t, apierrors.IsInvalid(err), "%v", err)

	leases := c.CoordinationV1().Leases("ns")
	zero := int32(0)
	_, err = leases.Create(ctx, &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "l"},
		Spec: coordinationv1.LeaseSpec{LeaseDurationSeconds: &zero}}, metav1.CreateOptions{})
	assert.True(t, apierrors.IsInvalid(err), "%v", err)
}

// RBAC as the authorizer applies a Role's rules: resourceNames never
// authorize a create.
func TestAuthorize(t *testing.T) {
	ctx := context.Background()
	srv := New()
	c, _ := newClient(t, srv)
	srv.Authorize("system:serviceaccount:ns:rotator", []rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get", "update", "create"}, ResourceNames: []string{"mine"}},
		{APIGroups: []string{"coordination.k8s.io"}, Resources: []string{"leases"}, Verbs: []string{"create"}},
	})
	secrets := c.CoreV1().Secrets("ns")
	_, err := secrets.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "mine"}}, metav1.CreateOptions{})
	require.True(t, apierrors.IsForbidden(err), "%v", err)
	assert.Contains(t, err.Error(), `User "system:serviceaccount:ns:rotator" cannot create resource "secrets" in API group "" in the namespace "ns"`)
	_, err = secrets.Get(ctx, "other", metav1.GetOptions{})
	assert.True(t, apierrors.IsForbidden(err), "%v", err)
	_, err = secrets.Get(ctx, "mine", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "allowed, and missing: %v", err)
	_, err = c.CoordinationV1().Leases("ns").Create(ctx, &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "l"}}, metav1.CreateOptions{})
	assert.NoError(t, err)
	_, err = c.CoordinationV1().Leases("ns").Get(ctx, "l", metav1.GetOptions{})
	assert.True(t, apierrors.IsForbidden(err), "%v", err)

	var verbs []string
	for _, r := range srv.Requests() {
		verbs = append(verbs, r.Resource+"/"+r.Verb)
	}
	assert.Equal(t, []string{"secrets/create", "secrets/get", "secrets/get", "leases/create", "leases/get"}, verbs)
}

// A hook fails or stalls one Link's requests; other Links go through.
func TestHookPartitionsOneLink(t *testing.T) {
	ctx := context.Background()
	srv := New()
	a, la := newClient(t, srv)
	b, _ := newClient(t, srv)
	la.Partition()
	_, err := a.CoreV1().Secrets("ns").Get(ctx, "s", metav1.GetOptions{})
	assert.True(t, apierrors.IsServiceUnavailable(err), "%v", err)
	_, err = b.CoreV1().Secrets("ns").Get(ctx, "s", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "%v", err)

	stalled := make(chan struct{})
	la.Hook(func(r *http.Request, _ Request) error {
		close(stalled)
		<-r.Context().Done()
		return r.Context().Err()
	})
	cctx, cancel := context.WithCancel(ctx)
	go func() { <-stalled; cancel() }()
	_, err = a.CoreV1().Secrets("ns").Get(cctx, "s", metav1.GetOptions{})
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	la.Heal()
	_, err = a.CoreV1().Secrets("ns").Get(ctx, "s", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "%v", err)
}

func TestUnsupported(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, New())
	_, err := c.CoreV1().Secrets("ns").List(ctx, metav1.ListOptions{})
	assert.True(t, apierrors.IsMethodNotSupported(err), "%v", err)
	_, err = c.CoreV1().ConfigMaps("ns").Get(ctx, "x", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "%v", err)
}

// A client configured for JSON (kubectl's --kube-api-content-type, or a
// rest.Config with ContentType set) is served JSON.
func TestJSONClient(t *testing.T) {
	srv := New()
	l := srv.Link()
	t.Cleanup(l.Close)
	cfg := l.Config()
	cfg.ContentType = "application/json"
	c, err := kubernetes.NewForConfigAndClient(cfg, &http.Client{Transport: &http.Transport{DisableKeepAlives: true}})
	require.NoError(t, err)
	_, err = c.CoreV1().Secrets("ns").Create(context.Background(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"}}, metav1.CreateOptions{})
	require.NoError(t, err)
	assert.Contains(t, string(srv.Object("", "secrets", "ns", "s")), `"name":"s"`)
}
