package k8ssecret

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
)

// k8sNames are the suite's unusual names that Kubernetes accepts as a
// Secret name (a DNS-1123 subdomain): lowercase letters, digits, '-' and
// '.'.
var k8sNames = storetest.NameCases("dot", "leading-digit", "long")

// Through client-go's real REST client against the in-process API server,
// with resourceVersion conflicts enforced.
func TestConformance(t *testing.T) {
	link := k8sfake.New().Link()
	client := link.Clientset()
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return newSecret(client, "snowpat", name)
		},
		CompareAndSwap: true,
		Names:          k8sNames,
		Close:          link.Close,
	})
}
