package k8ssecret

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/secrets"
)

// What a consumer pod sees: the "token" key is always the current
// version's value, through a rotation (pending, then promoted) and a
// rollback; other versions live under snowpat.v<id>, and a retired one's
// value is gone from the Secret.
func TestTokenKeyIsTheCurrentVersion(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	v1, err := f.store.Put(ctx, []byte("pat-one"), nil)
	require.NoError(t, err)
	assert.Equal(t, "pat-one", string(f.object(t).Data[TokenKey]))

	p, err := f.store.PutPending(ctx, []byte("pat-two"), nil)
	require.NoError(t, err)
	obj := f.object(t)
	assert.Equal(t, "pat-one", string(obj.Data[TokenKey]), "a pending version is not what consumers read")
	assert.Equal(t, "pat-two", string(obj.Data["snowpat.v"+p]))

	require.NoError(t, f.store.Promote(ctx, p))
	assert.Equal(t, "pat-two", string(f.object(t).Data[TokenKey]))

	require.NoError(t, f.store.Promote(ctx, v1)) // rollback
	assert.Equal(t, "pat-one", string(f.object(t).Data[TokenKey]))
	require.NoError(t, f.store.Promote(ctx, p))

	require.NoError(t, f.store.Retire(ctx, v1))
	obj = f.object(t)
	assert.NotContains(t, obj.Data, "snowpat.v"+v1, "a retired version's value is erased")
	assert.Equal(t, "pat-two", string(obj.Data[TokenKey]))
	assert.Equal(t, "snowpat", obj.Labels["app.kubernetes.io/managed-by"])
	assert.Contains(t, obj.Annotations[VersionsAnnotation], `"stage":"current"`)
	for _, v := range obj.Annotations {
		assert.NotContains(t, v, "pat-", "the annotations hold no value")
	}

	// Delete empties the Secret (no token for consumers) and keeps the
	// object; ids go on from where they were.
	require.NoError(t, f.store.Delete(ctx))
	obj = f.object(t)
	assert.NotContains(t, obj.Data, TokenKey)
	_, err = f.store.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	again, err := f.store.Put(ctx, []byte("pat-three"), nil)
	require.NoError(t, err)
	assert.NotContains(t, []string{v1, p}, again, "ids are not reused after Delete")
}

// A Secret made beforehand (so that RBAC need not grant create) is taken
// over; keys, labels and annotations that are not snowpat's are left as
// they were. One that already holds a "token" snowpat did not write is
// refused rather than overwritten.
func TestPrecreatedSecret(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	_, err := f.client.CoreV1().Secrets(testNS).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: testName, Labels: map[string]string{"team": "bi"}, Annotations: map[string]string{"owner": "bi"}},
		Data:       map[string][]byte{"ca.crt": []byte("cert")},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = f.store.Current(ctx)
	require.ErrorIs(t, err, secrets.ErrNotFound, "an empty Secret has no versions")
	_, err = f.store.Put(ctx, []byte("pat-one"), nil)
	require.NoError(t, err)
	obj := f.object(t)
	assert.Equal(t, "cert", string(obj.Data["ca.crt"]))
	assert.Equal(t, "bi", obj.Labels["team"])
	assert.Equal(t, "bi", obj.Annotations["owner"])
	assert.Equal(t, "pat-one", string(obj.Data[TokenKey]))

	other, err := New(f.client, testNS, "handmade")
	require.NoError(t, err)
	_, err = f.client.CoreV1().Secrets(testNS).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "handmade"}, StringData: map[string]string{TokenKey: "typed-by-hand"},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = other.Put(ctx, []byte("pat-one"), nil)
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.Contains(t, err.Error(), `"token" key that snowpat did not write`)
	obj, err = f.client.CoreV1().Secrets(testNS).Get(ctx, "handmade", metav1.GetOptions{})
	require.NoError(t, err)
	assert.Equal(t, "typed-by-hand", string(obj.Data[TokenKey]), "nothing was overwritten")
}

// A Secret whose snowpat annotation was damaged (edited by hand) is an
// error with no code, never a guess.
func TestDamagedState(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	_, err := f.store.Put(ctx, []byte("pat-one"), nil)
	require.NoError(t, err)
	for _, bad := range []string{
		`not json`,
		`{"format":2,"last":1,"versions":[]}`,
		`{"format":1,"last":1,"versions":[{"id":"1","stage":"current","enabled":true},{"id":"1","enabled":true}]}`,
		`{"format":1,"last":1,"versions":[{"id":"7","stage":"current","enabled":true}]}`,
		`{"format":1,"last":2,"versions":[{"id":"2","stage":"current","enabled":true}]}`,
		`{"format":1,"last":1,"versions":[{"id":"1","stage":"latest","enabled":true}]}`,
	} {
		obj := f.object(t)
		obj.Annotations[VersionsAnnotation] = bad
		_, err := f.client.CoreV1().Secrets(testNS).Update(ctx, obj, metav1.UpdateOptions{})
		require.NoError(t, err)
		_, err = f.store.Current(ctx)
		require.Error(t, err, bad)
		assert.True(t, strings.Contains(err.Error(), "is damaged"), "%s: %v", bad, err)
		for _, k := range []error{secrets.ErrNotFound, secrets.ErrConflict, secrets.ErrInvalidArgument, secrets.ErrUnavailable} {
			assert.NotErrorIs(t, err, k, bad)
		}
	}
}
