//go:build unix

package policy_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, its own threads and the
// runtime's (the garbage collector's included): what a benchmark costs a
// core, whatever else the machine runs.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
