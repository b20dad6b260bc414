package push_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/biworld"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/pushtest"
)

// One token pushed to a Tableau data source, a Tableau workbook, a Power
// BI cloud model and a Power BI gateway model: every dashboard refreshes
// (its fake logs in to the emulator with what it holds) before a
// rotation, fails once the old token dies, and refreshes again after the
// new one is pushed everywhere.
func TestFourDestinations(t *testing.T) {
	ctx := context.Background()
	sf := pushtest.NewSnowflake(t)
	clock := pushtest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	w := biworld.New(sf.Account(), sf.Login, clock)
	defer w.Close()
	var dests []*push.Destination
	for _, u := range w.URLs {
		d, err := w.Open(ctx, u)
		require.NoError(t, err)
		t.Cleanup(func() { _ = d.Close() })
		dests = append(dests, d)
	}
	pushAll := func(s pat.Secret) {
		for _, d := range dests {
			_, err := d.Push(ctx, push.Credential{Account: sf.Account(), User: sf.User, Secret: s, Version: "v"})
			require.NoError(t, err, d.Identity())
			require.NoError(t, d.Test(ctx), d.Identity())
		}
	}

	pushAll(sf.AddToken(t))
	require.NoError(t, w.Refresh(ctx))
	fresh := sf.Rotate(t)
	require.Error(t, w.Tableau.Refresh(ctx), "Tableau still holds the dead token")
	require.Error(t, w.PowerBI.Refresh(ctx), "Power BI still holds the dead token")
	pushAll(fresh)
	require.NoError(t, w.Refresh(ctx))
}
