package fakefault_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every Intercept a test starts in a goroutine must end with the test: a
// leaked one would be a hold or latency that nothing ends.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
