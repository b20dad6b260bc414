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

	// Destroy says whether the driver implements driver.Destroyer, the
	// erasing of one version for good. The suite fails if the claim and
	// the driver disagree, so that an adapter that should erase a
	// compromised version cannot lose the capability unnoticed (a wrapper
	// that hides the interface, say), then runs the case for whichever it
	// is.
	Destroy bool

	// StagesSnapshot says whether the driver implements
	// driver.StagesReader, reading every stage as one snapshot. The suite
	// fails if the claim and the driver disagree, so that a wrapper that
	// hides the capability (and makes every Stages three reads) or claims
	// it falsely is caught, then checks Stages against ByStage either way.
	StagesSnapshot bool

	// Names are the unusual secret names the backend accepts, picked from
	// NameCases or written by the adapter. The suite writes, reads and
	// deletes a secret under each (with a random suffix) and checks that
	// no two of them share state. Nil tests none.
	Names []NameCase

	// CheckErrorAs, if set, receives a Store over the backend and the
	// error its ByID returned for an unknown version id, and checks that
	// Store.ErrorAs reaches the backend's native error type.
	CheckErrorAs func(t *testing.T, s *secrets.Store, notFound error)

	// ApplyThenFail arms the backend so that the next f.Times requests of
	// the kind f.Step names, for the secret called name, are carried out
	// and then fail: answered with a server error or, with f.Drop, with
	// the connection dropped. SDKs retry that failure on their own, and a
	// write that is not idempotent then happens twice; the
	// "write-applied-then-failed" cases check that the adapter's writes
	// survive it. It returns a function that drops the faults the write
	// left unused.
	//
	// A backend whose harness cannot inject such faults (an in-process
	// store has no answer to lose) sets ApplyThenFailUnsupported to the
	// reason instead. Exactly one of the two is required, so that a new
	// adapter cannot skip the cases by leaving both out.
	ApplyThenFail            func(t *testing.T, name string, f WriteFault) (disarm func())
	ApplyThenFailUnsupported string

	// FailReads takes the backend down for reads of the secret called
	// name: every read request about it fails as an unreachable or failing
	// backend answers (a server error, a refused or dropped connection),
	// beyond what the client's own retries get past, until the returned
	// function is called. The "stages-backend-down" case checks that
	// Stages then fails as ByStage does, never as not-found and never
	// with part of the stages. A harness whose backend cannot be down (an
	// in-process store) sets FailReadsUnsupported to the reason instead;
	// exactly one of the two is required.
	FailReads            func(t *testing.T, name string) (restore func())
	FailReadsUnsupported string

	// EmptyMetadataValuesRefused, when set, is why the backend cannot
	// store a metadata entry whose value is empty (Key Vault may refuse
	// empty tag values). The suite then checks that such a write fails
	// with secrets.ErrInvalidArgument and changes nothing, instead of
	// checking that the empty value round-trips.
	EmptyMetadataValuesRefused string

	// Close, if set, is called once when the suite is done.
	Close func()
}

// WriteFault says which requests of a write ApplyThenFail fails, and how.
type WriteFault struct {
	// Step is the request of a Put or PutPending to fail.
	Step WriteStep
	// Times is how many such requests in a row fail: once, or enough to
	// outlast an SDK's retries.
	Times int
	// Drop closes the connection instead of answering with a server
	// error.
	Drop bool
}

// WriteStep names a request of a write. On a backend that stores and
// stages a version in one request, both steps name that request.
type WriteStep int

const (
	// StepStore is the request that stores the new version's value.
	StepStore WriteStep = iota
	// StepCommit is the request that makes the new version current or
	// pending.
	StepCommit
)

// String returns "store" or "commit".
func (s WriteStep) String() string {
	if s == StepCommit {
		return "commit"
	}
	return "store"
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
