package k8slease

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
)

// One holder per key: another replica, another Lock call in the same
// process, or a replica given the same identity are all refused; other
// keys are free; a released Lease is free at once.
func TestOneHolderPerKey(t *testing.T) {
	ctx := context.Background()
	srv := k8sfake.New()
	clk := clocktesting.NewFakeClock(t0)
	a := newReplica(t, srv, clk, "rotator-0")
	twin := newReplica(t, srv, clk, "rotator-0") // same identity string

	la, err := a.Lock(ctx, "powerbi")
	require.NoError(t, err)
	require.NoError(t, la.Check(ctx))
	_, err = a.Lock(ctx, "powerbi")
	require.ErrorIs(t, err, policy.ErrLocked, "a second grant in one process")
	_, err = twin.Lock(ctx, "powerbi")
	require.ErrorIs(t, err, policy.ErrLocked, "a replica with the same identity")
	lt, err := twin.Lock(ctx, "tableau")
	require.NoError(t, err, "other keys are free")
	unlock(t, lt)

	l := lease(t, srv, "snowpat-powerbi")
	assert.True(t, strings.HasPrefix(*l.Spec.HolderIdentity, "rotator-0_"), *l.Spec.HolderIdentity)
	assert.Equal(t, int32(60), *l.Spec.LeaseDurationSeconds)
	assert.Equal(t, "powerbi", l.Annotations[KeyAnnotation])

	unlock(t, la)
	require.ErrorIs(t, la.Check(ctx), policy.ErrLockLost, "a released lock is not held")
	assert.Nil(t, lease(t, srv, "snowpat-powerbi").Spec.HolderIdentity, "released: no holder")
	lb, err := twin.Lock(ctx, "powerbi")
	require.NoError(t, err, "a released Lease is free at once")
	assert.Equal(t, int32(1), *lease(t, srv, "snowpat-powerbi").Spec.LeaseTransitions)
	require.NoError(t, la.Unlock(ctx), "unlocking twice is a no-op")
	require.NoError(t, lb.Check(ctx), "and does nothing to the new holder")
	unlock(t, lb)
}

// While renewals succeed the Lease is held indefinitely; each renewal
// moves renewTime on.
func TestRenewalKeepsTheLease(t *testing.T) {
	ctx := context.Background()
	srv, clk, a, b := cluster(t)
	la, err := a.Lock(ctx, "powerbi")
	require.NoError(t, err)
	for range 20 { // five minutes, five lease durations
		clk.Step(15 * time.Second)
		require.NoError(t, <-a.renewed)
		require.NoError(t, la.Check(ctx))
		_, err := b.Lock(ctx, "powerbi")
		require.ErrorIs(t, err, policy.ErrLocked)
	}
	assert.Equal(t, t0.Add(5*time.Minute), lease(t, srv, "snowpat-powerbi").Spec.RenewTime.Time.UTC())
	unlock(t, la)
}

// A replica killed while holding a Lease (it stops renewing and never
// releases) blocks the key until the Lease has gone unchanged for its
// duration, as the other replica sees it; then the other takes it over,
// and the dead replica's grant, were it to wake, reports the lock lost.
func TestKilledReplicaIsTakenOverAfterExpiry(t *testing.T) {
	ctx := context.Background()
	srv, clk, a, b := cluster(t)
	la, err := a.Lock(ctx, "powerbi")
	require.NoError(t, err)
	kill(la)

	clk.Step(10 * time.Second)
	_, err = b.Lock(ctx, "powerbi") // first sight of a's record, at t0+10s
	require.ErrorIs(t, err, policy.ErrLocked)
	clk.Step(duration - time.Second)
	_, err = b.Lock(ctx, "powerbi")
	require.ErrorIs(t, err, policy.ErrLocked, "one second short of a duration since b saw it")
	clk.Step(time.Second)
	lb, err := b.Lock(ctx, "powerbi")
	require.NoError(t, err, "unchanged for a whole duration: expired")
	require.ErrorIs(t, la.Check(ctx), policy.ErrLockLost)
	assert.Equal(t, int32(1), *lease(t, srv, "snowpat-powerbi").Spec.LeaseTransitions)
	unlock(t, la) // the dead grant's release leaves b's Lease alone
	require.NoError(t, lb.Check(ctx))
	assert.True(t, strings.HasPrefix(*lease(t, srv, "snowpat-powerbi").Spec.HolderIdentity, "b_"))
	unlock(t, lb)
}

// A replica cut off from the API server (its renewals fail) reports the
// lock lost through Check before any other replica can take the Lease
// over: the engine, which checks before every step, takes no step the
// new holder could also be taking.
func TestPartitionedReplicaStopsBeforeTakeover(t *testing.T) {
	ctx := context.Background()
	_, clk, a, b := cluster(t)
	la, err := a.Lock(ctx, "powerbi")
	require.NoError(t, err)
	clk.Step(15 * time.Second)
	require.NoError(t, <-a.renewed)
	a.link.Partition() // last successful renewal: t0+15s

	var lostAt, takenAt time.Time
	var lb policy.Lock
	for s := 16; s <= 200 && lb == nil; s++ {
		clk.Step(time.Second)
		if s%15 == 0 && lostAt.IsZero() {
			<-a.renewed // a's renewal attempt (failing, or skipped once out of time)
		}
		if lostAt.IsZero() && la.Check(ctx) != nil {
			lostAt = clk.Now()
		}
		if l, err := b.Lock(ctx, "powerbi"); err == nil {
			lb, takenAt = l, clk.Now()
		} else {
			require.ErrorIs(t, err, policy.ErrLocked)
		}
	}
	require.NotNil(t, lb, "b took the Lease over")
	require.False(t, lostAt.IsZero())
	assert.Equal(t, t0.Add(15*time.Second+duration-duration/4), lostAt, "a stops a margin before its Lease could expire")
	assert.True(t, lostAt.Before(takenAt), "a reported the loss (%v) before b took over (%v)", lostAt, takenAt)
	a.link.Heal()
	unlock(t, la)
	require.NoError(t, lb.Check(ctx))
	unlock(t, lb)
}

// A renewal that finds the Lease held by someone else (edited, or taken
// after a pause) ends the grant at once, whatever the clock says.
func TestRenewalSeesAnotherHolder(t *testing.T) {
	ctx := context.Background()
	srv, clk, a, _ := cluster(t)
	la, err := a.Lock(ctx, "powerbi")
	require.NoError(t, err)

	link := srv.Link()
	defer link.Close()
	leases := link.Clientset().CoordinationV1().Leases(testNS)
	l := lease(t, srv, "snowpat-powerbi")
	other := "intruder"
	l.Spec.HolderIdentity = &other
	_, err = leases.Update(ctx, l, metav1UpdateOptions)
	require.NoError(t, err)

	clk.Step(15 * time.Second)
	<-a.renewed
	err = la.Check(ctx)
	require.ErrorIs(t, err, policy.ErrLockLost)
	assert.Contains(t, err.Error(), "held by intruder")
	unlock(t, la)
	assert.Equal(t, "intruder", *lease(t, srv, "snowpat-powerbi").Spec.HolderIdentity, "the release left the new holder alone")
}
