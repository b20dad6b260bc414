package k8ssecret

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
)

// everything runs every Store operation once.
func everything(t *testing.T, s *secrets.Store) {
	t.Helper()
	ctx := context.Background()
	a, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	p, err := s.PutPendingIf(ctx, []byte("pat-p"), secrets.IfCurrent(a), &secrets.PutOptions{IdempotencyKey: "k"})
	require.NoError(t, err)
	_, err = s.Current(ctx)
	require.NoError(t, err)
	_, err = s.List(ctx)
	require.NoError(t, err)
	require.NoError(t, s.PromoteIf(ctx, p, secrets.IfCurrent(a)))
	q, err := s.PutPending(ctx, []byte("pat-q"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Retire(ctx, q))
	require.NoError(t, s.Destroy(ctx, a))
	require.NoError(t, s.Delete(ctx))
}

// verbs are the distinct verbs the server saw.
func verbs(srv *k8sfake.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Resource == "secrets" && !slices.Contains(out, r.Verb) {
			out = append(out, r.Verb)
		}
	}
	slices.Sort(out)
	return out
}

// Rules is exactly what the Store uses on a Secret that exists: with only
// those rules every operation works, and the verbs sent are the rules'.
// Without the Secret, the first write needs CreateRule too.
func TestRulesAreWhatTheStoreUses(t *testing.T) {
	srv := k8sfake.New()
	f := newFixture(t, srv)
	_, err := f.client.CoreV1().Secrets(testNS).Create(context.Background(),
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: testName}}, metav1.CreateOptions{})
	require.NoError(t, err)
	srv.Authorize("system:serviceaccount:snowpat:rotator", Rules(testName))
	before := len(srv.Requests())
	everything(t, f.store)
	var used []string
	for _, r := range srv.Requests()[before:] {
		if !slices.Contains(used, r.Verb) {
			used = append(used, r.Verb)
		}
	}
	slices.Sort(used)
	assert.Equal(t, Rules()[0].Verbs, used)

	other, err := New(f.client, testNS, "not-granted")
	require.NoError(t, err)
	_, err = other.Current(context.Background())
	require.ErrorIs(t, err, secrets.ErrPermissionDenied)
	var se *apierrors.StatusError
	require.True(t, other.ErrorAs(err, &se), "ErrorAs reaches the API server's Status")
	assert.Equal(t, metav1.StatusReasonForbidden, se.ErrStatus.Reason)

	// A Secret that does not exist yet.
	fresh := k8sfake.New()
	g := newFixture(t, fresh)
	fresh.Authorize("system:serviceaccount:snowpat:rotator", Rules(testName))
	_, err = g.store.Put(context.Background(), []byte("pat-a"), nil)
	require.ErrorIs(t, err, secrets.ErrPermissionDenied, "create is not in Rules")
	fresh.Authorize("system:serviceaccount:snowpat:rotator", append(Rules(testName), CreateRule()))
	everything(t, g.store)
	assert.Equal(t, []string{"create", "get", "update"}, verbs(fresh))
	assert.Equal(t, []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"create"}}},
		[]rbacv1.PolicyRule{CreateRule()})
}
