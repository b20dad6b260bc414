package policy_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/policy"
)

// FuzzLoadConfig checks that no input makes LoadConfig panic or loop, that
// every error is a config error naming the file (and, but for the summary
// of errors left out, a line), that a config it accepts passes
// Config.Validate, and that loading is deterministic.
func FuzzLoadConfig(f *testing.F) {
	valid, err := os.ReadFile(filepath.Join("testdata", "config", "valid.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(fullConfig))
	for _, seed := range []string{
		"",
		"---\n~\n",
		"targets: &t [*t]\n",
		"policies: &p {x: *p}\ntargets: [{user: U, token: T, policy: x, stores: [mem://u]}]\n",
		"policies:\n  base: &b {preset: production}\n  p: {<<: *b}\ntargets: []\n",
		"targets:\n  - {user: U, token: T, policy: production, stores: [mem://u], compromisedAt: 2026-11-20T10:00:00+02:00}\n",
		"policies:\n  p: {rotateEvery: 30d, rotateBefore: 2d, lifetimeDays: 40, grace: 0, strategy: blue-green, warnBefore: [1d, 12h]}\ntargets:\n  - {user: U, token: T, policy: p, stores: [mem://u]}\n",
		"targets:\n  - {name: a, user: U, token: T, policy: production, stores: [mem://u]}\n  - {name: a, user: U, token: T, policy: development, stores: [mem://u]}\n",
		"account: a\x07\n",
		"targets:\n  - user: U\xff\n",
		"a: [1, 2\n",
		"x: 1\n---\ny: 2\n",
		"targets:\n  - *nope\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := policy.LoadConfig(bytes.NewReader(src), "fuzz.yaml")
		if err != nil {
			if c != nil {
				t.Fatalf("config returned with error %v", err)
			}
			if !errors.Is(err, policy.ErrInvalidConfig) {
				t.Fatalf("not ErrInvalidConfig: %v", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml:") {
					t.Fatalf("error line does not name the file: %q", line)
				}
			}
			for _, e := range configErrors(err) {
				var ce *policy.ConfigError
				if !errors.As(e, &ce) {
					t.Fatalf("not a ConfigError: %v", e)
				}
				if ce.Line <= 0 && !strings.HasPrefix(ce.Err.Error(), "too many errors") {
					t.Fatalf("error without a line: %v", ce)
				}
			}
		} else {
			if err := c.Validate(); err != nil {
				t.Fatalf("loaded config does not validate: %v", err)
			}
		}
		c2, err2 := policy.LoadConfig(bytes.NewReader(src), "fuzz.yaml")
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("second load differs: %v, then %v", err, err2)
		}
		if err == nil && len(c.Targets) != len(c2.Targets) {
			t.Fatalf("second load differs: %d targets, then %d", len(c.Targets), len(c2.Targets))
		}
	})
}

// configErrors splits an errors.Join into its errors.
func configErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
