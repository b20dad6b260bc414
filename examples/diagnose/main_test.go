package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDiagnoseOnTheEmulator(t *testing.T) {
	for _, c := range []struct {
		breakAs, cause string
		code           int
	}{
		{"none", "none", 0},
		{"expired", "expired", 1},
		{"newline", "whitespace", 1},
		{"revoked", "revoked", 1},
		{"wrong-user", "wrong_user", 1},
		{"garbage", "unknown_token", 1},
	} {
		t.Run(c.breakAs, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := run(context.Background(), []string{"--pattest", "--break", c.breakAs}, strings.NewReader(""), &out, &errs)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s %s", code, c.code, out.String(), errs.String())
			}
			lines := strings.SplitN(out.String(), "\n", 2)
			if lines[0] != c.cause || len(strings.TrimSpace(lines[1])) == 0 {
				t.Fatalf("output %q", out.String())
			}
		})
	}
}

func TestDiagnoseUsage(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--user", "U"}, strings.NewReader(""), &out, &errs); code != 2 {
		t.Fatalf("exit %d without an administrator login", code)
	}
	if code := run(context.Background(), []string{"--pattest", "--break", "sideways"}, strings.NewReader(""), &out, &errs); code != 2 {
		t.Fatalf("exit %d for an unknown --break", code)
	}
}
