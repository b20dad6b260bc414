package push_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/pushtest"
)

// The portable layer's own rules, through a real adapter and its fake: an
// account that is not one is refused by Inspect before anything is sent;
// a closed destination refuses every call; As and ErrorAs reach the
// adapter's client and native errors.
func TestDestinationRules(t *testing.T) {
	fake := tableaufake.New()
	defer fake.Close()
	fake.AddUser("", "admin", tableaufake.RoleSiteAdministrator)
	fake.AddPAT("", "admin", "n", "s")
	opts := &push.Options{HTTPClient: fake.Client(), Clock: pushtest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), Rand: rand.New(rand.NewPCG(1, 1)),
		Getenv: func(k string) string { return map[string]string{"TABLEAU_PAT_NAME": "n", "TABLEAU_PAT_SECRET": "s"}[k] }}
	d, err := push.Open(context.Background(), "tableau://"+fake.Host()+"/default/datasources/Missing", opts)
	require.NoError(t, err)

	_, err = d.Inspect(context.Background(), "no such account!")
	require.ErrorIs(t, err, push.ErrInvalidArgument)
	assert.Zero(t, fake.Calls(tableaufake.OpSignIn))

	_, err = d.Inspect(context.Background(), "myorg-acct")
	require.ErrorIs(t, err, push.ErrNotFound)
	var pe *push.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "Inspect", pe.Op)
	assert.Equal(t, d.Identity(), pe.Destination)
	assert.False(t, d.ErrorAs(nil, &pe))
	assert.False(t, d.ErrorAs(err, pe), "not a pointer to a pointer")

	var hc *http.Client
	require.True(t, d.As(&hc))
	assert.False(t, d.As(hc), "not a pointer to the supported type")

	require.NoError(t, d.Close())
	for _, err := range []error{d.Close(), d.Test(context.Background()), func() error { _, err := d.Inspect(context.Background(), "a"); return err }()} {
		require.ErrorIs(t, err, push.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "closed")
	}
}
