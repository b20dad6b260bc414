package azkv

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
)

// The suite runs against the real azsecrets client talking to azfake,
// with azcore's default retry policy (its delays shortened), which resends
// SetSecret like any request answered 408, 429 or 5xx.
func TestConformance(t *testing.T) {
	srv := azfake.New()
	c, err := srv.NewClientWith(policy.RetryOptions{RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return newSecret(c, name, nil)
		},
		// Key Vault has no conditional write: see the package doc.
		CompareAndSwap: false,
		// Key Vault names are 0-9, a-z, A-Z and '-' only, up to 127
		// characters; every other case is a name it refuses.
		Names: storetest.NameCases("uppercase", "leading-digit", "long"),
		CheckErrorAs: func(t *testing.T, s *secrets.Store, notFound error) {
			var re *azcore.ResponseError
			if !s.ErrorAs(notFound, &re) || re.StatusCode != http.StatusNotFound || re.ErrorCode != "SecretNotFound" {
				t.Errorf("ErrorAs(%v) did not reach the 404 *azcore.ResponseError", notFound)
			}
			if !errors.As(notFound, &re) {
				t.Errorf("errors.As did not reach *azcore.ResponseError")
			}
		},
		// One request, SetSecret, stores a version and its stage table.
		ApplyThenFail: func(_ *testing.T, name string, f storetest.WriteFault) func() {
			for range f.Times {
				srv.FailAfterApply(azfake.OpSetSecret, name, azfake.Applied{Drop: f.Drop})
			}
			return srv.ClearFaults
		},
		// Every read of the secret is answered 503, which azcore resends
		// until its retries run out. 64 outlasts every attempt of every
		// read a case makes.
		FailReads: func(_ *testing.T, name string) func() {
			for _, op := range []string{azfake.OpGetSecret, azfake.OpGetSecretVersions} {
				for range 64 {
					srv.FailAfterApply(op, name, azfake.Applied{Code: http.StatusServiceUnavailable})
				}
			}
			return srv.ClearFaults
		},
		EmptyMetadataValuesRefused: "metadata entries are Key Vault tags, which may refuse empty values",
		Close:                      srv.Close,
	})
}
