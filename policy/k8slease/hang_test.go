package k8slease

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
)

// hang stalls every request through l until its context ends, and tells
// of each on the channel it returns.
func hang(l *k8sfake.Link) <-chan k8sfake.Request {
	arrived := make(chan k8sfake.Request, 10)
	l.Hook(func(r *http.Request, req k8sfake.Request) error {
		arrived <- req
		<-r.Context().Done()
		return r.Context().Err()
	})
	return arrived
}

// waitForTimer spins until something waits on the fake clock.
func waitForTimer(clk *clocktesting.FakeClock) {
	for !clk.HasWaiters() {
		runtime.Gosched()
	}
}

// An API server that stops answering: a renewal in flight is cut off at
// the fence deadline (Check has reported the loss by then), and Unlock
// returns after its bounded wait on the clock, leaving the Lease to
// expire, even when its caller's context has already ended (a shutdown).
func TestHungAPIServer(t *testing.T) {
	ctx := context.Background()
	_, clk, a, _ := cluster(t)
	la, err := a.Lock(ctx, "powerbi")
	require.NoError(t, err)
	arrived := hang(a.link)
	clk.Step(15 * time.Second) // the renewal starts, and hangs
	require.Equal(t, "update", (<-arrived).Verb)
	require.NoError(t, la.Check(ctx), "still inside the fence")
	clk.Step(45*time.Second - 15*time.Second - time.Second)
	require.NoError(t, la.Check(ctx))
	clk.Step(time.Second) // t0+45s: the fence
	require.Error(t, <-a.renewed, "the hung renewal was cut off")
	require.ErrorIs(t, la.Check(ctx), policy.ErrLockLost)

	done := make(chan error, 1)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	go func() { done <- la.Unlock(cancelled) }()
	waitForTimer(clk)
	clk.Step(duration / 4 / 4) // the release's bounded wait
	err = <-done
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expires by itself")
	a.link.Heal()
}

// Unlock releases the Lease even when its caller's context is already
// done, as Apply's is when a shutdown cancels the run.
func TestUnlockAfterCancel(t *testing.T) {
	srv, _, a, _ := cluster(t)
	la, err := a.Lock(context.Background(), "powerbi")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, la.Unlock(ctx))
	assert.Nil(t, lease(t, srv, "snowpat-powerbi").Spec.HolderIdentity)
}
