package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// casNeed says for which backends a case runs.
type casNeed int

const (
	anyBackend casNeed = iota
	withCAS
	withoutCAS
)

type testCase struct {
	name string
	need casNeed
	run  func(e *env)
}

// RunConformanceTests runs the conformance suite against the backend h
// describes, each case as a subtest on a fresh secret.
func RunConformanceTests(t *testing.T, h Harness) {
	t.Helper()
	if h.NewSecret == nil {
		t.Fatal("storetest: Harness.NewSecret is required")
	}
	if (h.ApplyThenFail == nil) == (h.ApplyThenFailUnsupported == "") {
		t.Fatal("storetest: set exactly one of Harness.ApplyThenFail and Harness.ApplyThenFailUnsupported")
	}
	if (h.FailReads == nil) == (h.FailReadsUnsupported == "") {
		t.Fatal("storetest: set exactly one of Harness.FailReads and Harness.FailReadsUnsupported")
	}
	if h.Close != nil {
		t.Cleanup(h.Close)
	}
	var cases []testCase
	for _, group := range [][]testCase{
		lifecycleCases, stageCases, readStagesCases, retireCases, idempotencyCases,
		casCases, concurrencyCases, valueCases, contextCases, destroyCases, appliedFaultCases(),
	} {
		cases = append(cases, group...)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.need == withCAS && !h.CompareAndSwap || tc.need == withoutCAS && h.CompareAndSwap {
				t.Skipf("only for backends with CompareAndSwap=%t", tc.need == withCAS)
			}
			tc.run(newEnv(t, &h, tc.name))
		})
	}
	t.Run("names", func(t *testing.T) { testNames(t, &h) })
}

// env is one case's world: its secret, the Store over it, and every value
// written and error seen, for the final scan.
type env struct {
	t    *testing.T
	h    *Harness
	ctx  context.Context
	name string
	s    *secrets.Store

	mu     sync.Mutex
	values map[string][]byte // by version id
	wrote  [][]byte          // every value given to a write, even failed ones
	errs   []error
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9]+`)

// freshName makes a name every backend accepts: lowercase letters, digits
// and '-', at most 63 bytes, with a random suffix.
func freshName(label string) string {
	label = strings.Trim(unsafeChars.ReplaceAllString(strings.ToLower(label), "-"), "-")
	if len(label) > 40 {
		label = label[:40]
	}
	return "storetest-" + label + "-" + randomHex(4)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newEnv(t *testing.T, h *Harness, label string) *env {
	e := newEnvNamed(t, h, freshName(label))
	if got := e.s.SupportsCompareAndSwap(); got != h.CompareAndSwap {
		t.Fatalf("Harness.CompareAndSwap is %t but the driver's SupportsCompareAndSwap is %t", h.CompareAndSwap, got)
	}
	if got := e.s.SupportsDestroy(); got != h.Destroy {
		t.Fatalf("Harness.Destroy is %t but the driver's SupportsDestroy is %t", h.Destroy, got)
	}
	if got := e.s.SupportsStagesSnapshot(); got != h.StagesSnapshot {
		t.Fatalf("Harness.StagesSnapshot is %t but the driver's SupportsStagesSnapshot is %t", h.StagesSnapshot, got)
	}
	return e
}

// open returns a new Store over the secret called name, closed, with the
// secret deleted, when the case ends.
func (e *env) open(name string) *secrets.Store {
	e.t.Helper()
	s := e.openUnmanaged(name)
	e.t.Cleanup(func() {
		// t.Context is done by now: clean up with a fresh one.
		if err := s.Delete(context.Background()); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			e.t.Logf("cleanup: deleting %q: %v", name, err)
		}
		if err := s.Close(); err != nil {
			e.t.Errorf("cleanup: Close: %v", err)
		}
	})
	return s
}

// openUnmanaged returns a Store over the secret called name that the case
// closes itself.
func (e *env) openUnmanaged(name string) *secrets.Store {
	e.t.Helper()
	d, err := e.h.NewSecret(e.ctx, e.t, name)
	if err != nil {
		e.t.Fatalf("Harness.NewSecret(%q): %v", name, err)
	}
	return secrets.NewStore(d)
}

// driver returns a bare driver for the case's secret, for the cases that
// must bypass the Store's own checks.
func (e *env) driver() driver.Secret {
	e.t.Helper()
	d, err := e.h.NewSecret(e.ctx, e.t, e.name)
	if err != nil {
		e.t.Fatalf("Harness.NewSecret(%q): %v", e.name, err)
	}
	e.t.Cleanup(func() { _ = d.Close() })
	return d
}

// value returns a distinctive random value, so that finding it in an error
// text cannot be a coincidence.
func (e *env) value(label string) []byte {
	v := []byte("storetest-value-" + label + "-" + randomHex(16))
	e.remember(v)
	return v
}

func (e *env) remember(v []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.wrote = append(e.wrote, append([]byte(nil), v...))
}

// seen records err for the final scan and returns it.
func (e *env) seen(err error) error {
	if err != nil {
		e.mu.Lock()
		e.errs = append(e.errs, err)
		e.mu.Unlock()
	}
	return err
}

func (e *env) recordVersion(id string, v []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.values[id] = append([]byte(nil), v...)
}

// scanErrors fails the case if any error it saw contains any value it
// wrote, raw or hex- or base64-encoded, anywhere in its wrap tree.
func (e *env) scanErrors() {
	e.mu.Lock()
	defer e.mu.Unlock()
	var needles []string
	for _, v := range e.wrote {
		if len(v) < 16 { // too short to tell a leak from a coincidence
			continue
		}
		needles = append(needles, encodings(v)...)
	}
	for _, err := range e.errs {
		for _, text := range errorTexts(err) {
			for _, n := range needles {
				if strings.Contains(text, n) {
					e.t.Errorf("an error's text contains a secret value (or an encoding of it): %T", err)
					return
				}
			}
		}
	}
}

// errorTexts returns the text of err and of every error it wraps, plus
// its %+v and %#v forms, which some error types print differently.
func errorTexts(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		out = append(out, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

func (e *env) fatalf(format string, args ...any) {
	e.t.Helper()
	e.t.Fatalf(format, args...)
}
