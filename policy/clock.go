package policy

import (
	"k8s.io/utils/clock"
)

// Clock is the engine's source of time: k8s.io/utils/clock's Clock, so
// that its FakeClock (k8s.io/utils/clock/testing) can drive the
// engine, the runner and the emulator together in tests without sleeping.
// Evaluation is a pure function of the time it is given; the engine reads
// the clock for that time and waits on its timers between attempts and
// passes.
type Clock = clock.Clock

// SystemClock is the real clock.
type SystemClock = clock.RealClock
