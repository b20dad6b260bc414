package k8slease

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/k8sfake"
)

// A create or take-over of a Lease that landed but whose answer was lost —
// client-go resends it after a 5xx with Retry-After, and the resend is
// refused (AlreadyExists, or Conflict on the stale resourceVersion) — is
// recognised by this grant's own holder identity: the locker holds the key
// instead of reporting it locked by someone else until it expires.
func TestLockLandedButAnswerLost(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, r *replica)
		verb  string
		fault k8sfake.Applied
	}{
		{name: "create resent", verb: "create", fault: k8sfake.Applied{Code: 500, RetryAfter: "0"}},
		{name: "create dropped", verb: "create", fault: k8sfake.Applied{Drop: true}},
		{name: "take-over resent", verb: "update", fault: k8sfake.Applied{Code: 500, RetryAfter: "0"}, setup: func(t *testing.T, r *replica) {
			g, err := r.Lock(context.Background(), "powerbi")
			require.NoError(t, err)
			unlock(t, g)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, _, a, _ := cluster(t)
			if c.setup != nil {
				c.setup(t, a)
			}
			srv.FailAfterApply(c.verb, "leases", testNS, LeaseName(DefaultPrefix, "powerbi"), c.fault)
			srv.FailAfterApply(c.verb, "leases", testNS, LeaseName(DefaultPrefix, "powerbi"), c.fault)
			g, err := a.Lock(context.Background(), "powerbi")
			require.NoError(t, err)
			require.NoError(t, g.Check(context.Background()))
			require.Equal(t, holderOf(lease(t, srv, LeaseName(DefaultPrefix, "powerbi")))[:2], "a_")
			unlock(t, g)
		})
	}
}
