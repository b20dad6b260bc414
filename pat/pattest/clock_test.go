package pattest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := pattest.NewManualClock(start)
	a := c.After(time.Hour)
	b := c.After(2 * time.Hour)
	require.Equal(t, 2, c.Waiters())
	next, ok := c.NextDeadline()
	require.True(t, ok)
	require.Equal(t, start.Add(time.Hour), next)

	c.Advance(59 * time.Minute)
	select {
	case <-a:
		t.Fatal("fired early")
	default:
	}
	c.Advance(time.Minute)
	require.Equal(t, start.Add(time.Hour), <-a)
	require.Equal(t, 1, c.Waiters())
	c.Set(start.Add(3 * time.Hour))
	require.Equal(t, start.Add(3*time.Hour), <-b)
	require.Zero(t, c.Waiters())
	require.Equal(t, start.Add(3*time.Hour), <-c.After(0))

	done := make(chan error)
	go func() { done <- c.BlockUntil(context.Background(), 1) }()
	_ = c.After(time.Minute)
	require.NoError(t, <-done)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, c.BlockUntil(ctx, 5), context.Canceled)
}
