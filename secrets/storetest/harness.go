package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Harness is what a backend gives the suite.
type Harness struct {
	// NewSecret returns a driver for the secret called name. The suite
	// never reuses a name across cases, so the secret is new and has no
	// versions. Calling NewSecret again with the same name must address
	// the same secret, as two clients of the backend would: the
	// concurrency cases open several. Required.
	NewSecret func(ctx context.Context, t *testing.T, name string) (driver.Secret, error)

	// CompareAndSwap says whether the driver implements
	// driver.CompareAndSwapper. The suite fails if the claim and the driver
	// disagree, then runs the cases for whichever it is.
	CompareAndSwap bool

	// Names are the unusual secret names the backend accepts, picked from
	// NameCases or written by the adapter. The suite writes, reads and
	// deletes a secret under each (with a random suffix) and checks that
	// no two of them share state. Nil tests none.
	Names []NameCase

	// CheckErrorAs, if set, receives a Store over the backend and the
	// error its ByID returned for an unknown version id, and checks that
	// Store.ErrorAs reaches the backend's native error type.
	CheckErrorAs func(t *testing.T, s *secrets.Store, notFound error)

	// Close, if set, is called once when the suite is done.
	Close func()
}

// NameCase is a secret name with a label saying what is unusual about it.
type NameCase struct {
	Label string
	Name  string
}

// NameCases returns names that break naive escaping: path separators,
// URL escapes, spaces, non-ASCII. Backends accept different subsets, so a
// harness passes those its backend accepts, such as
// NameCases("slash", "dot") for AWS; with no labels it returns them all.
// It panics on an unknown label, so that a typo cannot skip a case.
func NameCases(labels ...string) []NameCase {
	all := []NameCase{
		{"slash", "team/app/powerbi"},
		{"dot", "svc.powerbi.prod"},
		{"dot-dot", "svc..powerbi"},
		{"underscore", "svc_powerbi"},
		{"plus-equals-at", "a+b=c@d"},
		{"uppercase", "PowerBI-Prod"},
		{"leading-digit", "2024-powerbi"},
		{"space", "power bi"},
		{"unicode", "snøflake-秘密"},
		{"percent-escape", "a%2Fb"},
		{"long", strings.Repeat("n", 100)},
	}
	if len(labels) == 0 {
		return all
	}
	var out []NameCase
	for _, l := range labels {
		found := false
		for _, c := range all {
			if c.Label == l {
				out = append(out, c)
				found = true
			}
		}
		if !found {
			panic("storetest: unknown name case " + l)
		}
	}
	return out
}
