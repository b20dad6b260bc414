package pat

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestMain(m *testing.M) {
	// gosnowflake probes cloud metadata addresses on its first login
	// unless told not to; a test must never leave loopback.
	pattest.DisablePlatformDetection()
	goleak.VerifyTestMain(m)
}
