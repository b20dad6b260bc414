package vaulttest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
	"github.com/snowpat/snowpat/secrets/vault"
)

// The suite runs against the real api client talking to the real server,
// through the fault proxy, with vault/api's default retries (their pause
// shortened). max_versions is raised above the suite's largest secret (30
// concurrent writes), as an operator would for secrets rotated this
// often: with Vault's default of 10 the oldest versions are dropped,
// which TestEviction covers.
func TestConformance(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, t *testing.T, name string) (driver.Secret, error) {
			return vault.NewDriver(srv.RetryingClientAt(t, proxy.Addr(), time.Millisecond), Mount, name)
		},
		// A write stores its value as a KV version of the secret's path,
		// then commits it in the stage record beside it.
		ApplyThenFail: func(_ *testing.T, name string, f storetest.WriteFault) func() {
			path := Mount + "/data/" + name
			if f.Step == storetest.StepCommit {
				path += "/" + vault.RecordName
			}
			for range f.Times {
				proxy.FailNext("PUT", path, Fault{Applied: !f.Drop, DropReply: f.Drop, Status: http.StatusInternalServerError, Message: "injected", Exact: true})
			}
			return proxy.Clear
		},
		CompareAndSwap: true,
		Destroy:        true,
		StagesSnapshot: true,
		Names:          storetest.NameCases(),
		// Every read below the secret's path (its versions and its stage
		// record) is answered 503, which vault/api resends until its
		// retries run out. 64 outlasts every attempt of every read a case
		// makes.
		FailReads: func(_ *testing.T, name string) func() {
			for range 64 {
				proxy.FailNext("GET", Mount+"/data/"+name, Fault{Status: http.StatusServiceUnavailable, Message: "injected outage"})
			}
			return proxy.Clear
		},
		CheckErrorAs: func(t *testing.T, s *secrets.Store, notFound error) {
			// A version the record does not know is refused before Vault
			// is asked; a Vault error is reached by asking for a path
			// Vault refuses.
			var re *api.ResponseError
			if s.ErrorAs(notFound, &re) {
				t.Errorf("a not-found decided by the stage record reached %v", re)
			}
			var c *api.Client
			if !s.As(&c) {
				t.Fatal("As did not reach *api.Client")
			}
			_, err := c.Logical().WriteWithContext(t.Context(), Mount+"/data/x", map[string]any{"data": "not an object"})
			if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
				t.Errorf("want a 400 *api.ResponseError, got %v", err)
			}
		},
	})
}
