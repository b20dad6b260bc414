package policy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A failed event carries its cause as an error, for errors.Is; log lines
// have a fixed message per kind and the reason as an attribute, so that a
// log query or an alert can match them. (Issue 16.8.)
func TestEventsCarryErrorsAndStableMessages(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	var logs bytes.Buffer
	e := w.engine(func(o *policy.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	_, err := e.Apply(context.Background(), tg)
	require.NoError(t, err)
	w.Clock.Step(91 * policy.Day)
	w.faults.Fail(memstore.Match{Op: memstore.OpPutPending, Times: memstore.Always}, errInjected)
	_, err = e.Apply(context.Background(), tg)
	require.ErrorIs(t, err, errInjected)

	failed := 0
	for _, ev := range w.Events() {
		if ev.Kind == policy.EventFailed {
			failed++
			require.ErrorIs(t, ev.Err, errInjected, "%s", ev.Reason)
		}
	}
	require.Positive(t, failed)
	msgs := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		msgs[rec["msg"].(string)] = true
		require.Equal(t, "snowpat "+rec["event"].(string), rec["msg"])
		require.Contains(t, rec, "reason")
	}
	for _, want := range []string{"snowpat planned", "snowpat rotated", "snowpat failed"} {
		require.True(t, msgs[want], "no %q line in %v", want, msgs)
	}
}
