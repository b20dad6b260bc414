//go:build !unix

package policy_test

import "time"

// cpuTime is unknown here; benchmarks then report wall time only.
func cpuTime() (time.Duration, bool) { return 0, false }
