package k8ssecret

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
)

// k8sNames are the suite's unusual names that Kubernetes accepts as a
// Secret name (a DNS-1123 subdomain): lowercase letters, digits, '-' and
// '.'.
var k8sNames = storetest.NameCases("dot", "leading-digit", "long")

// Through client-go's real REST client, with its default retries, against
// the in-process API server, with resourceVersion conflicts enforced.
func TestConformance(t *testing.T) {
	srv := k8sfake.New()
	link := srv.Link()
	client := link.Clientset()
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return newSecret(client, testNS, name)
		},
		CompareAndSwap: true,
		Destroy:        true,
		StagesSnapshot: true,
		Names:          k8sNames,
		// The link answers every request about the Secret 503 Service
		// Unavailable without reaching the server, as an API server that
		// lost etcd does; client-go resends only answers with Retry-After.
		FailReads: func(_ *testing.T, name string) func() {
			link.Hook(func(_ *http.Request, req k8sfake.Request) error {
				if req.Resource == "secrets" && req.Name == name {
					return errors.New("injected outage")
				}
				return nil
			})
			return link.Heal
		},
		// One update (a create for a new Secret) stores a version and its
		// stage, so both steps fault it. An error is the API server's
		// answer when etcd timed out on a write that committed: 500
		// ServerTimeout with a Retry-After, which client-go resends (at
		// once here: the real server asks for 2 seconds), each resend
		// refused 409 on the resourceVersion the write moved past. A
		// dropped connection client-go does not resend.
		ApplyThenFail: func(_ *testing.T, name string, f storetest.WriteFault) func() {
			a := k8sfake.Applied{Drop: f.Drop}
			if !f.Drop {
				a.RetryAfter = "0"
			}
			for range f.Times {
				srv.FailAfterApply("update", "secrets", testNS, name, a)
				srv.FailAfterApply("create", "secrets", testNS, name, a)
			}
			return srv.ClearFaults
		},
		Close: link.Close,
	})
}
