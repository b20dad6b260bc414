package gcpsm

import (
	"context"
	"errors"
	"testing"

	"github.com/googleapis/gax-go/v2/apierror"
	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// gcpNames are the suite's unusual names that GCP accepts as secret ids:
// letters, digits, '-' and '_' only.
var gcpNames = storetest.NameCases("underscore", "uppercase", "leading-digit", "long")

func harness(t *testing.T, opts ...Option) storetest.Harness {
	srv := gcpfake.New()
	client, err := srv.NewClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return newSecret(client, "projects/test/secrets/"+name, opts...)
		},
		CompareAndSwap: true,
		Destroy:        true,
		Names:          gcpNames,
		CheckErrorAs:   checkErrorAs,
		// A write adds its version (AddSecretVersion), then commits it
		// with the aliases and its record (UpdateSecret). The client's
		// default call options retry neither.
		ApplyThenFail: func(_ *testing.T, name string, f storetest.WriteFault) func() {
			method := "AddSecretVersion"
			if f.Step == storetest.StepCommit {
				method = "UpdateSecret"
			}
			for range f.Times {
				srv.FailAfterApply(method, "projects/test/secrets/"+name, gcpfake.Applied{Drop: f.Drop})
			}
			return srv.ClearFaults
		},
		// Every read of the secret fails UNAVAILABLE. The client does not
		// retry GetSecret, the first request of every read.
		FailReads: func(_ *testing.T, name string) func() {
			for _, m := range []string{"GetSecret", "GetSecretVersion", "AccessSecretVersion", "ListSecretVersions"} {
				for range outageLength {
					srv.FailAfterApply(m, "projects/test/secrets/"+name, gcpfake.Applied{})
				}
			}
			return srv.ClearFaults
		},
		Close: func() {
			_ = client.Close()
			srv.Close()
		},
	}
}

// outageLength is how many requests of each kind an outage fails: more
// than every attempt of every read a case makes while it lasts.
const outageLength = 64

// Through the real client against the fake over an in-memory gRPC
// connection.
func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, harness(t))
}

// Retired versions destroyed instead of disabled behave the same to the
// portable API.
func TestConformanceDestroyRetired(t *testing.T) {
	storetest.RunConformanceTests(t, harness(t, WithDestroyRetired()))
}

// The suite's unknown id is not a number, so the driver answers it without
// asking GCP; a numeric unknown id reaches GCP's NOT_FOUND.
func checkErrorAs(t *testing.T, s *secrets.Store, notFound error) {
	if !errors.Is(notFound, secrets.ErrNotFound) {
		t.Fatalf("got %v, want not found", notFound)
	}
	_, err := s.ByID(t.Context(), "999999")
	var ae *apierror.APIError
	if !s.ErrorAs(err, &ae) || ae.GRPCStatus().Code() != codes.NotFound {
		t.Fatalf("ErrorAs(%v) did not reach an *apierror.APIError with NOT_FOUND", err)
	}
	var se interface{ GRPCStatus() *status.Status }
	if !s.ErrorAs(err, &se) || se.GRPCStatus().Code() != codes.NotFound {
		t.Fatalf("ErrorAs(%v) did not reach the gRPC status", err)
	}
}
