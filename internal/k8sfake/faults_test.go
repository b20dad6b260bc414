package k8sfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// seed creates the Secret ns/s holding token=t0.
func seed(t *testing.T, c kubernetes.Interface) *corev1.Secret {
	t.Helper()
	s, err := c.CoreV1().Secrets("ns").Create(context.Background(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"},
		Data: map[string][]byte{"token": []byte("t0")}}, metav1.CreateOptions{})
	require.NoError(t, err)
	return s
}

// storedSecret is what the server holds for ns/s.
func storedSecret(t *testing.T, srv *Server) *corev1.Secret {
	t.Helper()
	var s corev1.Secret
	require.NoError(t, json.Unmarshal(srv.Object("", "secrets", "ns", "s"), &s))
	return &s
}

// updates counts the server's update requests for secrets.
func updates(srv *Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Verb == "update" && r.Resource == "secrets" {
			n++
		}
	}
	return n
}

// The wire shape of each fault, read without client-go: the update is
// carried out (the data changes, the resourceVersion moves on), and the
// answer is the Status the real server sends for the code, with the
// Retry-After header the test asked for.
func TestAppliedAnswers(t *testing.T) {
	for _, c := range []struct {
		a      Applied
		code   int
		reason metav1.StatusReason
		after  string
	}{
		{Applied{}, 500, metav1.StatusReasonInternalError, ""},
		{Applied{RetryAfter: "2"}, 500, metav1.StatusReasonServerTimeout, "2"},
		{Applied{Code: 429, RetryAfter: "0"}, 429, metav1.StatusReasonTooManyRequests, "0"},
		{Applied{Code: 503, RetryAfter: "1"}, 503, metav1.StatusReasonServiceUnavailable, "1"},
		{Applied{Code: 504}, 504, metav1.StatusReasonTimeout, ""},
		{Applied{Code: 502, RetryAfter: "soon"}, 502, metav1.StatusReasonInternalError, "soon"},
	} {
		srv := New()
		c2, l := newClient(t, srv)
		before := seed(t, c2)
		srv.FailAfterApply("update", "secrets", "ns", "s", c.a)

		next := before.DeepCopy()
		next.Data["token"] = []byte("t1")
		body, err := json.Marshal(next)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPut, l.URL()+"/api/v1/namespaces/ns/secrets/s", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, resp.Body.Close())
		require.NoError(t, err)

		assert.Equal(t, c.code, resp.StatusCode, "%+v", c.a)
		assert.Equal(t, c.after, resp.Header.Get("Retry-After"), "%+v", c.a)
		var st metav1.Status
		require.NoError(t, json.Unmarshal(raw, &st), "%s", raw)
		assert.Equal(t, "Status", st.Kind)
		assert.Equal(t, metav1.StatusFailure, st.Status)
		assert.Equal(t, c.reason, st.Reason, "%+v", c.a)
		assert.EqualValues(t, c.code, st.Code)

		got := storedSecret(t, srv)
		assert.Equal(t, "t1", string(got.Data["token"]), "the update was carried out")
		assert.NotEqual(t, before.ResourceVersion, got.ResourceVersion)
	}
}

// client-go resends a write answered 5xx with a Retry-After: the resend
// carries the resourceVersion the first attempt already moved past, and
// is refused with 409. Several faults in a row fail the resends too.
func TestAppliedThenResent(t *testing.T) {
	for _, times := range []int{1, 3} {
		srv := New()
		c, _ := newClient(t, srv)
		before := seed(t, c)
		for range times {
			srv.FailAfterApply("update", "secrets", "ns", "s", Applied{RetryAfter: "0"})
		}
		next := before.DeepCopy()
		next.Data["token"] = []byte("t1")
		_, err := c.CoreV1().Secrets("ns").Update(context.Background(), next, metav1.UpdateOptions{})
		require.True(t, apierrors.IsConflict(err), "the resend found its own write: %v", err)
		assert.Equal(t, times+1, updates(srv), "client-go resent every faulted answer")
		assert.Equal(t, "t1", string(storedSecret(t, srv).Data["token"]), "applied once")
	}
}

// Without Retry-After client-go gives up at once; a dropped connection
// on a write is never resent, and the client sees no Status at all.
func TestAppliedNotResent(t *testing.T) {
	for _, a := range []Applied{{}, {Code: 503}, {Drop: true}} {
		srv := New()
		c, _ := newClient(t, srv)
		before := seed(t, c)
		srv.FailAfterApply("update", "secrets", "ns", "s", a)
		next := before.DeepCopy()
		next.Data["token"] = []byte("t1")
		_, err := c.CoreV1().Secrets("ns").Update(context.Background(), next, metav1.UpdateOptions{})
		require.Error(t, err)
		var st apierrors.APIStatus
		assert.Equal(t, !a.Drop, errors.As(err, &st), "%+v: %v", a, err)
		assert.Equal(t, 1, updates(srv), "%+v: not resent", a)
		assert.Equal(t, "t1", string(storedSecret(t, srv).Data["token"]), "%+v", a)
	}
}

// A create is matched by the name in its body; its resend finds the
// object it made and is refused with AlreadyExists.
func TestAppliedCreate(t *testing.T) {
	srv := New()
	c, _ := newClient(t, srv)
	srv.FailAfterApply("create", "secrets", "ns", "other", Applied{Drop: true})
	srv.FailAfterApply("create", "secrets", "ns", "s", Applied{Code: 503, RetryAfter: "0"})
	seedErr := func() error {
		_, err := c.CoreV1().Secrets("ns").Create(context.Background(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s"}}, metav1.CreateOptions{})
		return err
	}()
	require.True(t, apierrors.IsAlreadyExists(seedErr), "%v", seedErr)
	assert.NotNil(t, srv.Object("", "secrets", "ns", "s"))
	srv.ClearFaults()
	_, err := c.CoreV1().Secrets("ns").Create(context.Background(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "other"}}, metav1.CreateOptions{})
	require.NoError(t, err, "ClearFaults dropped the fault no request took")
}

// Faults queue per verb, resource, namespace and name, in order; a
// request takes its own name's before one queued for every name, and
// other requests take none.
func TestFaultQueues(t *testing.T) {
	srv := New()
	get := func(ns, name string) Request {
		return Request{Verb: "get", Resource: "secrets", Namespace: ns, Name: name}
	}
	srv.FailAfterApply("get", "secrets", "ns", "", Applied{Code: 501})
	srv.FailAfterApply("get", "secrets", "ns", "s", Applied{Code: 502})
	srv.FailAfterApply("get", "secrets", "ns", "s", Applied{Code: 503})
	srv.FailAfterApply("get", "leases", "ns", "s", Applied{Code: 504})

	_, ok := srv.takeFault(Request{Verb: "update", Resource: "secrets", Namespace: "ns", Name: "s"}, "s")
	assert.False(t, ok, "another verb")
	_, ok = srv.takeFault(get("other", "s"), "s")
	assert.False(t, ok, "another namespace")
	var codes []int
	for range 4 {
		if a, ok := srv.takeFault(get("ns", "s"), "s"); ok {
			codes = append(codes, a.Code)
		}
	}
	assert.Equal(t, []int{502, 503, 501}, codes)
	a, ok := srv.takeFault(Request{Verb: "get", Resource: "leases", Namespace: "ns", Name: "s"}, "s")
	assert.True(t, ok)
	assert.Equal(t, 504, a.Code)
}

// Hooks still stop a request before it reaches the server: it is not
// carried out, so it takes no fault.
func TestHookBeforeFault(t *testing.T) {
	srv := New()
	c, l := newClient(t, srv)
	before := seed(t, c)
	srv.FailAfterApply("update", "secrets", "ns", "s", Applied{})
	l.Partition()
	next := before.DeepCopy()
	next.Data["token"] = []byte("t1")
	_, err := c.CoreV1().Secrets("ns").Update(context.Background(), next, metav1.UpdateOptions{})
	require.True(t, apierrors.IsServiceUnavailable(err), "%v", err)
	assert.True(t, strings.Contains(err.Error(), "partition"), "%v", err)
	l.Heal()
	_, err = c.CoreV1().Secrets("ns").Update(context.Background(), next, metav1.UpdateOptions{})
	require.True(t, apierrors.IsInternalError(err), "the fault waited for a request that reached the server: %v", err)
	assert.Equal(t, "t1", string(storedSecret(t, srv).Data["token"]))
}
