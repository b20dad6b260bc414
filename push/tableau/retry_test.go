package tableau_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
)

// A session the server forgot (401002) is signed in again, once per call;
// a second 401002 in a row is ErrUnauthenticated.
func TestSignsInAgainAfter401(t *testing.T) {
	e := newEnv(t)
	id := e.datasource("Sales", false)
	secret := e.sf.AddToken(t)
	d := e.open(e.url("datasources", "Sales"))

	e.fake.FailNext(tableaufake.OpQueryDatasourceConnections, tableaufake.ErrSessionExpired)
	_, err := d.Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)
	assert.Equal(t, 2, e.fake.Calls(tableaufake.OpSignIn))
	assert.Equal(t, secret.Reveal(), e.fake.Connections(id)[0].Password)

	e.fake.FailNext(tableaufake.OpUpdateDatasourceConnection, tableaufake.ErrSessionExpired)
	e.fake.FailNext(tableaufake.OpUpdateDatasourceConnection, tableaufake.ErrSessionExpired)
	_, err = d.Push(context.Background(), e.cred(secret.Reveal()))
	require.ErrorIs(t, err, push.ErrUnauthenticated)
	assert.Zero(t, e.fake.Sessions())
}

// Throttling and server errors are retried with backoff on the injected
// clock; a Retry-After longer than the backoff is honoured; a lost answer
// to an update, or an error after it committed, is retried safely.
func TestRetries(t *testing.T) {
	e := newEnv(t)
	id := e.datasource("Sales", false)
	secret := e.sf.AddToken(t)
	d := e.open(e.url("datasources", "Sales"))

	slow := *tableaufake.ErrThrottled
	slow.RetryAfter = 7
	e.fake.FailNext(tableaufake.OpQueryDatasources, &slow)
	e.fake.FailNext(tableaufake.OpQueryDatasourceConnections, tableaufake.ErrUnavailable)
	e.fake.DropNext(tableaufake.OpUpdateDatasourceConnection)
	e.fake.FailAfterNext(tableaufake.OpUpdateDatasourceConnection, tableaufake.ErrUnavailable)
	_, err := d.Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)
	waits := e.clock.Waits()
	require.Len(t, waits, 4)
	assert.Equal(t, 7*time.Second, waits[0], "Retry-After is honoured")
	// Backoff with full jitter: at most Initial (1s) after a call's first
	// try, at most twice that after its second (the update's drop, then
	// its error after commit).
	assert.LessOrEqual(t, waits[1], time.Second)
	assert.LessOrEqual(t, waits[2], time.Second)
	assert.LessOrEqual(t, waits[3], 2*time.Second)
	assert.Equal(t, 3, e.fake.Connections(id)[0].Updates, "each retried update landed again, harmlessly")
	assert.Equal(t, secret.Reveal(), e.fake.Connections(id)[0].Password)
	require.NoError(t, e.fake.RefreshContent(context.Background(), id))
}

// Retries end: after Attempts tries the error is ErrUnavailable, and a
// Retry-After beyond MaxRetryAfter ends them at once.
func TestRetriesEnd(t *testing.T) {
	e := newEnv(t)
	e.datasource("Sales", false)
	d := e.open(e.url("datasources", "Sales"))
	for range 4 {
		e.fake.FailNext(tableaufake.OpQueryDatasources, tableaufake.ErrUnavailable)
	}
	_, err := d.Push(context.Background(), e.cred("x"))
	require.ErrorIs(t, err, push.ErrUnavailable)
	var api interface{ Error() string }
	require.True(t, d.ErrorAs(err, &api))
	assert.Equal(t, 4, e.fake.Calls(tableaufake.OpQueryDatasources), "the default is 4 attempts")
	assert.Len(t, e.clock.Waits(), 3)

	long := *tableaufake.ErrThrottled
	long.RetryAfter = 3600
	e.fake.FailNext(tableaufake.OpQueryDatasources, &long)
	_, err = d.Push(context.Background(), e.cred("x"))
	require.ErrorIs(t, err, push.ErrUnavailable)
	assert.Len(t, e.clock.Waits(), 3, "no wait for an hour-long Retry-After")
	assert.Zero(t, e.fake.Sessions())
}
