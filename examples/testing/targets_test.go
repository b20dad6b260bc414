package testingexamples_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
)

// The production targets file, checked in CI: it loads, every target
// plans without being blocked against an emulated account made to match,
// applies, and a year of passes keeps every store working.
func TestTargetsFile(t *testing.T) {
	conf, err := policy.LoadConfigFile("testdata/targets.yaml")
	require.NoError(t, err)
	w := policytest.New(t)
	targets := w.Adopt(conf.Targets) // the emulator's account, memory stores
	e := w.Engine()
	ctx := context.Background()

	for _, d := range e.Plan(ctx, targets).Decisions {
		require.NotEqual(t, policy.ActionBlocked, d.Action, "%s: %s", d.Target, d.Reason())
		for _, f := range d.Findings {
			require.NotEqual(t, policy.SeverityError, f.Severity, "%s: %s", d.Target, f.Message)
		}
	}
	r := &policy.Runner{Engine: e, Targets: targets}
	for day := 0; day < 365; day++ {
		_, failed := r.RunOnce(ctx)
		require.Empty(t, failed, "day %d", day)
		for _, tg := range targets {
			w.RequireWorks(t, tg)
		}
		w.Clock.Step(policy.Day)
	}
}
