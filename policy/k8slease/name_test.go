package k8slease

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
)

func TestLeaseName(t *testing.T) {
	assert.Equal(t, "snowpat-powerbi", LeaseName("snowpat-", "powerbi"))
	assert.Equal(t, "prod.bi-2024", LeaseName("prod.", "bi-2024"))
	keys := []string{
		"powerbi", "PowerBI", "powerbi.", "POWERBI_SERVICE/POWERBI", "powerbi-svc", "-x", "x-", "",
		"秘密", "a/b", "a_b", "a.b", strings.Repeat("k", 300), strings.Repeat("k", 301),
		"powerbi.0123456789abcdef", "key", "key.0000000000000000",
	}
	seen := map[string]string{}
	for _, k := range keys {
		n := LeaseName(DefaultPrefix, k)
		assert.Empty(t, validation.IsDNS1123Subdomain(n), "%q → %q", k, n)
		if other, dup := seen[n]; dup {
			t.Errorf("%q and %q share lease %q", k, other, n)
		}
		seen[n] = k
		assert.Equal(t, n, LeaseName(DefaultPrefix, k), "stable")
	}
	assert.True(t, strings.HasPrefix(LeaseName(DefaultPrefix, "POWERBI_SERVICE/POWERBI"), "snowpat-powerbi-service-powerbi."))
}

func TestOptions(t *testing.T) {
	link := k8sfake.New().Link()
	defer link.Close()
	c := link.Clientset()
	for _, o := range []Options{
		{Identity: "a"},
		{Namespace: "Bad_NS", Identity: "a"},
		{Namespace: "ns"},
		{Namespace: "ns", Identity: "a", Prefix: "Snowpat_"},
		{Namespace: "ns", Identity: "a", Duration: 1500 * time.Millisecond},
		{Namespace: "ns", Identity: "a", Duration: time.Minute, RenewEvery: 50 * time.Second},
		{Namespace: "ns", Identity: "a", Duration: time.Minute, Margin: time.Minute},
		{Namespace: "ns", Identity: "a", Duration: -time.Minute},
	} {
		_, err := New(c, o)
		assert.ErrorIs(t, err, policy.ErrInvalidArgument, "%+v", o)
	}
	_, err := New(nil, Options{Namespace: "ns", Identity: "a"})
	assert.ErrorIs(t, err, policy.ErrInvalidArgument)
	l, err := New(c, Options{Namespace: "ns", Identity: "a"})
	require.NoError(t, err)
	assert.Equal(t, Options{Namespace: "ns", Identity: "a", Prefix: DefaultPrefix, Duration: time.Minute,
		RenewEvery: 15 * time.Second, Margin: 15 * time.Second}, func() Options { o := l.o; o.Clock = nil; return o }())

	// Another locker's Lease under the same name is not ours to take.
	_, err = link.Clientset().CoordinationV1().Leases("ns").Get(context.Background(), "x", metav1GetOptions)
	require.Error(t, err)
}
