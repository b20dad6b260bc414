package policy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A blue/green target whose other generation name is held by a live token
// that may not be removed (one store cannot be read, and might hold it),
// first seen in the active token's last minutes, which that other token
// shares: the engine can neither add a generation nor rotate either token
// for the whole grace. Rotating it is
// better than leaving every store with a secret that dies within the hour.
func TestNoFreeNameInTheLastHourRotates(t *testing.T) {
	w := newWorld(t)
	p := policy.Production()
	p.Strategy = policy.StrategyBlueGreen
	tg := w.target("SVC", p, 2)
	ctx := context.Background()
	_, err := w.engine().Apply(ctx, tg)
	require.NoError(t, err)
	var active pat.Token
	for _, tok := range w.Tokens("SVC") {
		if tok.Status == pat.StatusActive {
			active = tok
		}
	}
	other := "SVC_PAT_GREEN"
	if active.Name == other {
		other = "SVC_PAT_BLUE"
	}
	_, err = w.Admin.Add(ctx, "SVC", other, pat.AddOptions{RoleRestriction: "BI_READER", DaysToExpiry: 100}) // expiring with the active one
	require.NoError(t, err)
	w.faults.Fail(memstore.Match{Store: tg.Stores[1], Times: memstore.Always}, errors.New("down"))
	w.Clock.SetTime(active.ExpiresAt.Add(-30 * time.Minute))

	_, err = w.engine().Apply(ctx, tg)
	require.Error(t, err, "the unreadable store is reported")
	rotated := false
	for _, ev := range w.Events() {
		rotated = rotated || ev.Kind == policy.EventRotated && ev.Token == active.Name
	}
	require.True(t, rotated, "the active token was rotated")
	healthy := tg
	healthy.Stores = tg.Stores[:1]
	w.requireWorks(healthy)
	w.Clock.Step(time.Hour) // past the old token's expiry
	w.requireWorks(healthy)
}
