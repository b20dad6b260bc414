package awssm

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
)

// awsNames are the suite's unusual names that AWS accepts: letters,
// digits and /_+=.@- only.
var awsNames = storetest.NameCases("slash", "dot", "dot-dot", "underscore", "plus-equals-at", "uppercase", "leading-digit", "long")

func harness(opts ...Option) storetest.Harness {
	srv := awsfake.New()
	client := srv.NewClient()
	return storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return newSecret(client, name, opts...)
		},
		Names:        awsNames,
		CheckErrorAs: checkErrorAs,
		// One request, PutSecretValue, both stores the value and moves the
		// labels; the client's retryer is the SDK's standard one without
		// its backoff.
		ApplyThenFail: func(_ *testing.T, name string, f storetest.WriteFault) func() {
			for range f.Times {
				srv.FailAfterApply("PutSecretValue", name, awsfake.Applied{Drop: f.Drop})
			}
			return srv.ClearFaults
		},
		// Every read of the secret is answered 500 InternalServiceError,
		// which the SDK resends until its attempts run out.
		FailReads: func(_ *testing.T, name string) func() {
			for _, op := range []string{"GetSecretValue", "DescribeSecret", "ListSecretVersionIds"} {
				for range outageLength {
					srv.FailAfterApply(op, name, awsfake.Applied{})
				}
			}
			return srv.ClearFaults
		},
		Close: srv.Close,
	}
}

// outageLength is how many requests of each kind an outage fails: more
// than every attempt of every read a case makes while it lasts.
const outageLength = 64

// Through the real SDK client against the fake, with AWS's default
// deletion (a recovery window that keeps the name reserved).
func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, harness())
}

// With forced deletion a deleted name is free again at once.
func TestConformanceForceDelete(t *testing.T) {
	storetest.RunConformanceTests(t, harness(WithForceDelete()))
}

// The suite's unknown id is too short to be an AWS version id, so the
// driver answers it without asking AWS; a well-formed unknown id reaches
// AWS and its ResourceNotFoundException.
func checkErrorAs(t *testing.T, s *secrets.Store, notFound error) {
	if !errors.Is(notFound, secrets.ErrNotFound) {
		t.Fatalf("got %v, want not found", notFound)
	}
	_, err := s.ByID(t.Context(), tokenFor(""))
	var rnf *types.ResourceNotFoundException
	if !s.ErrorAs(err, &rnf) || !errors.As(err, &rnf) {
		t.Fatalf("ErrorAs(%v) did not reach *types.ResourceNotFoundException", err)
	}
}
