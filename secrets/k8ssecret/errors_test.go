package k8ssecret

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

func TestErrorCodes(t *testing.T) {
	gr := schema.GroupResource{Resource: "secrets"}
	for _, c := range []struct {
		err  error
		want driver.ErrorCode
	}{
		{apierrors.NewNotFound(gr, "x"), driver.CodeNotFound},
		{apierrors.NewAlreadyExists(gr, "x"), driver.CodeAlreadyExists},
		{apierrors.NewConflict(gr, "x", errors.New("modified")), driver.CodeConflict},
		{apierrors.NewForbidden(gr, "x", errors.New("no")), driver.CodePermissionDenied},
		{apierrors.NewUnauthorized("no"), driver.CodePermissionDenied},
		{apierrors.NewBadRequest("no"), driver.CodeInvalidArgument},
		{apierrors.NewRequestEntityTooLargeError("big"), driver.CodeInvalidArgument},
		{apierrors.NewServiceUnavailable("down"), driver.CodeUnavailable},
		{apierrors.NewTooManyRequests("slow down", 1), driver.CodeUnavailable},
		{apierrors.NewInternalError(errors.New("etcd")), driver.CodeUnavailable},
		{apierrors.NewTimeoutError("slow", 1), driver.CodeUnavailable},
		{apierrors.NewMethodNotSupported(gr, "patch"), driver.CodeUnsupported},
		{fmt.Errorf("wrapped: %w", apierrors.NewNotFound(gr, "x")), driver.CodeNotFound},
		{errors.New("something else"), driver.CodeUnknown},
	} {
		assert.Equal(t, c.want, errorCode(c.err), "%v", c.err)
	}
}

// A client cut off from the API server gets ErrUnavailable (retry), and
// a done context its own error, never ErrUnavailable.
func TestUnavailableAndContext(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	_, err := f.store.Put(ctx, []byte("pat-one"), nil)
	require.NoError(t, err)
	f.link.Partition()
	_, err = f.store.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrUnavailable)
	_, err = f.store.Put(ctx, []byte("pat-two"), nil)
	assert.ErrorIs(t, err, secrets.ErrUnavailable)

	// A stalled server and a caller that gives up: the context's error.
	stalled := make(chan struct{}, 1)
	f.link.Hook(func(r *http.Request, _ k8sfake.Request) error {
		stalled <- struct{}{}
		<-r.Context().Done()
		return r.Context().Err()
	})
	cctx, cancel := context.WithCancel(ctx)
	go func() { <-stalled; cancel() }()
	_, err = f.store.Current(cctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	f.link.Heal()
}

// A Secret whose values would pass Kubernetes' 1 MiB is refused before
// anything is sent; records of retired versions make room in the
// annotations by going, oldest first.
func TestSizeLimits(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	big := make([]byte, secrets.MaxValueSize)
	for i := range big {
		big[i] = 'x'
	}
	// A Secret already holding 63 readable versions of 16 KiB.
	full := &snapshot{sums: map[string]string{}, values: map[string][]byte{}}
	for i := range 63 {
		full.last++
		id := fmt.Sprint(full.last)
		r := recordFor(id, i == 62, nil)
		r.Enabled = true
		full.set.Records = append(full.set.Records, r)
		full.values[id] = big
	}
	_, err := f.client.CoreV1().Secrets(testNS).Create(ctx, full.render(testNS, testName), metav1.CreateOptions{})
	require.NoError(t, err)
	before, err := f.store.List(ctx)
	require.NoError(t, err)
	_, err = f.store.PutPending(ctx, big, nil)
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "over Kubernetes' limit")
	assert.NotContains(t, err.Error(), "xxxx", "no value in the error")
	after, err := f.store.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, after)

	sn := &snapshot{sums: map[string]string{}, values: map[string][]byte{}}
	meta := map[string]string{"note": string(make([]byte, 200))}
	for i := range 3000 {
		sn.last++
		id := fmt.Sprint(sn.last)
		sn.set.Records = append(sn.set.Records, recordFor(id, i == 2999, meta))
		if i == 2999 {
			sn.values[id] = []byte("v")
		}
	}
	out, err := sn.fit(testNS, testName)
	require.NoError(t, err)
	assert.Less(t, len(sn.set.Records), 3000, "old retired records were dropped")
	assert.Equal(t, "v", string(out.Data[TokenKey]), "the current version stays")
}
