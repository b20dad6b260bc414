package k8slease

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
)

// Rules is exactly what the Locker uses: with only those rules, locking,
// renewing, taking over and releasing work, and the verbs sent are the
// rules' verbs; a key the rules do not name is refused by the API server,
// and that is an error, not ErrLocked.
func TestRulesAreWhatTheLockerUses(t *testing.T) {
	ctx := context.Background()
	srv := k8sfake.New()
	srv.Authorize("system:serviceaccount:snowpat:rotator", Rules(DefaultPrefix, "powerbi", "Team/Tableau"))
	clk := clocktesting.NewFakeClock(t0)
	a := newReplica(t, srv, clk, "a")
	b := newReplica(t, srv, clk, "b")
	for _, key := range []string{"powerbi", "Team/Tableau"} {
		la, err := a.Lock(ctx, key)
		require.NoError(t, err, key)
		clk.Step(15 * time.Second)
		require.NoError(t, <-a.renewed)
		kill(la)
		_, err = b.Lock(ctx, key)
		require.ErrorIs(t, err, policy.ErrLocked)
		clk.Step(duration)
		lb, err := b.Lock(ctx, key)
		require.NoError(t, err)
		unlock(t, lb)
		unlock(t, la)
	}
	var used []string
	for _, r := range srv.Requests() {
		require.Equal(t, Group+"/"+Resource, r.Group+"/"+r.Resource)
		if !slices.Contains(used, r.Verb) {
			used = append(used, r.Verb)
		}
	}
	slices.Sort(used)
	var granted []string
	for _, r := range Rules(DefaultPrefix) {
		granted = append(granted, r.Verbs...)
	}
	slices.Sort(granted)
	assert.Equal(t, granted, used)

	_, err := a.Lock(ctx, "looker")
	require.Error(t, err)
	assert.NotErrorIs(t, err, policy.ErrLocked)
	assert.True(t, apierrors.IsForbidden(err), "%v", err)
}
