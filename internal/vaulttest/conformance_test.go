package vaulttest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
	"github.com/snowpat/snowpat/secrets/vault"
)

// The suite runs against the real api client talking to the real server.
// max_versions is raised above the suite's largest secret (30 concurrent
// writes), as an operator would for secrets rotated this often: with
// Vault's default of 10 the oldest versions are dropped, which
// TestEviction covers.
func TestConformance(t *testing.T) {
	srv := Start(t, 1000)
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, t *testing.T, name string) (driver.Secret, error) {
			return vault.NewDriver(srv.Client(t), Mount, name)
		},
		CompareAndSwap: true,
		Names:          storetest.NameCases(),
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
