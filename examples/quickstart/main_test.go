package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestQuickstart runs the whole walk-through and checks what it promises:
// the steps, four rotations in the simulated year with no failed query,
// and the three diagnoses — and that no secret is printed.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("quickstart failed: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"Step 1", "Step 2", "Step 3", "Power BI", "Tableau", "Excel",
		"rotation 4 on", ", 0 failed queries", "365 refreshes, 0 failed refreshes",
		"expired                         → expired:",
		"pasted with a trailing newline  → whitespace:",
		"revoked                         → revoked:",
		"[REDACTED]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "rotation 5 on") {
		t.Errorf("more rotations than the production preset allows in a year:\n%s", text)
	}
}
