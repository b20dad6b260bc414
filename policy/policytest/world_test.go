package policytest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// failures records what an assertion reports, so that a test can show the
// assertion fails when it must.
type failures struct {
	testing.TB
	errs []string
}

func (f *failures) Helper() {}
func (f *failures) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}

// A year of rotations under the production preset: every store works
// every day, and the world is settled and leak-free at the end.
func TestAYearOfRotations(t *testing.T) {
	w := policytest.New(t)
	tg := w.Target("SVC", policy.Production())
	e := w.Engine()
	ctx := context.Background()
	for day := 0; day < 365; day++ {
		_, err := e.Apply(ctx, tg)
		require.NoError(t, err, "day %d", day)
		require.True(t, w.RequireWorks(t, tg), "day %d", day)
		w.Clock.Step(policy.Day)
	}
	require.True(t, w.RequireSettled(t, tg))
	require.Equal(t, 4, w.Count(policy.EventRotated))
	require.True(t, w.RequireNoSecretLeaked(t))
}

// The assertions fail when they must: a store whose token was removed
// outside snowpat does not work; a pending version is not settled; a
// secret in a log line is a leak.
func TestAssertionsFail(t *testing.T) {
	w := policytest.New(t)
	tg := w.Target("SVC", policy.Production())
	tg.Stores = append(tg.Stores, tg.Stores[0]+"-second")
	ctx := context.Background()
	_, err := w.Engine().Apply(ctx, tg)
	require.NoError(t, err)

	f := &failures{TB: t}
	require.NoError(t, w.Admin.Remove(ctx, "SVC", tg.Token))
	require.False(t, w.RequireWorks(f, tg))
	require.Len(t, f.errs, 2, "both stores reported")

	f = &failures{TB: t}
	_, err = w.Store(tg.Stores[0]).PutPending(ctx, []byte("pending"), nil)
	require.NoError(t, err)
	other, err := pat.EncodeStored(pat.StoredToken{User: "SVC", Token: pat.NewSecret("another-secret-of-some-length")}, pat.FormatJSON)
	require.NoError(t, err)
	_, err = w.Store(tg.Stores[1]).Put(ctx, other, nil)
	require.NoError(t, err)
	require.False(t, w.RequireSettled(f, tg))
	require.Len(t, f.errs, 2, "pending, and disagreement: %v", f.errs)

	// A world of its own, whose leak check (New's included) reports to f.
	f = &failures{TB: t}
	lw := policytest.New(f)
	secret := pat.NewSecret("a-secret-that-must-never-be-logged")
	lw.Remember(secret)
	require.True(t, lw.RequireNoSecretLeaked(f))
	require.True(t, lw.RequireNoSecretIn(f, "an error that names no secret"))
	require.False(t, lw.RequireNoSecretIn(f, "fine", "an error quoting "+secret.Reveal()))
	lw.Options().Logger.Info("oops", "value", secret.Reveal())
	require.False(t, lw.RequireNoSecretLeaked(f))
}

// WithStores gives the world its stores: every one the engine writes and
// the assertions read is the one open returned, for each URL once.
func TestWithStores(t *testing.T) {
	var opened []string
	faults := &memstore.Faults{}
	w := policytest.New(t, policytest.WithStores(func(url string) *secrets.Store {
		opened = append(opened, url)
		return memstore.OpenStore(url, memstore.WithFaults(faults))
	}))
	tg := w.Target("SVC", policy.Production())
	ctx := context.Background()
	down := faults.Fail(memstore.Match{Op: memstore.OpPutPending, Times: 1}, errors.New("the store is down"))
	_, err := w.Engine().Apply(ctx, tg)
	require.NoError(t, err, "the engine retried the write")
	require.Equal(t, 1, down.Hits(), "the store open returned is the one the engine wrote to")
	require.True(t, w.RequireWorks(t, tg))
	require.True(t, w.RequireSettled(t, tg))
	require.Equal(t, tg.Stores, opened)
}

// Time is the world's: the emulator's tokens age with it, and an engine's
// backoff does not wait for it.
func TestClockDrivesEverything(t *testing.T) {
	w := policytest.New(t, policytest.WithStart(time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)))
	tg := w.Target("SVC", policy.Production())
	e := w.Engine(func(o *policy.Options) { o.Retry = policy.Retry{Attempts: 3, Initial: time.Hour, Max: time.Hour} })
	// The first ADD times out; the hour's backoff before the next attempt
	// ends at once.
	w.Server.Inject(pattest.Fault{Match: "ADD PROGRAMMATIC", Err: &pattest.Error{Code: "000630", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}})
	_, err := e.Apply(context.Background(), tg)
	require.NoError(t, err)
	require.Equal(t, 1, w.Count(policy.EventFailed))
	toks := w.Tokens("SVC")
	require.Len(t, toks, 1)
	require.Equal(t, time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC), toks[0].CreatedOn.UTC())
	w.Clock.Step(101 * policy.Day)
	require.Equal(t, pat.StatusExpired, w.Tokens("SVC")[0].Status)
}
