package k8slease

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
)

const (
	testNS   = "snowpat"
	duration = time.Minute // renewals every 15 s, the fence 15 s before expiry
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// replica is one rotator process: a Locker with its own connection to
// the shared API server, which a test can cut (link.Partition).
type replica struct {
	*Locker
	link    *k8sfake.Link
	renewed chan error // one value per renewal attempt
}

func newReplica(t *testing.T, srv *k8sfake.Server, clk *clocktesting.FakeClock, identity string) *replica {
	t.Helper()
	link := srv.Link()
	t.Cleanup(link.Close)
	l, err := New(link.Clientset(), Options{Namespace: testNS, Identity: identity, Duration: duration, Clock: clk})
	require.NoError(t, err)
	r := &replica{Locker: l, link: link, renewed: make(chan error, 100)}
	l.onRenew = func(_ string, err error) { r.renewed <- err }
	return r
}

// cluster is a fake API server and clock with two replicas, a and b.
func cluster(t *testing.T) (*k8sfake.Server, *clocktesting.FakeClock, *replica, *replica) {
	t.Helper()
	srv := k8sfake.New()
	clk := clocktesting.NewFakeClock(t0)
	return srv, clk, newReplica(t, srv, clk, "a"), newReplica(t, srv, clk, "b")
}

// lease reads a Lease behind the lockers' backs.
func lease(t *testing.T, srv *k8sfake.Server, name string) *coordinationv1.Lease {
	t.Helper()
	link := srv.Link()
	defer link.Close()
	l, err := link.Clientset().CoordinationV1().Leases(testNS).Get(context.Background(), name, metav1.GetOptions{})
	require.NoError(t, err)
	return l
}

// unlock releases a grant at the end of a test.
func unlock(t *testing.T, l policy.Lock) {
	t.Helper()
	require.NoError(t, l.Unlock(context.Background()))
}
