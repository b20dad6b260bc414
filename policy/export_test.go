package policy

import "time"

// SetAfterFunc replaces the engine's backoff wait, so tests can retry at
// once instead of waiting on the clock.
func SetAfterFunc(e *Engine, f func(time.Duration) <-chan time.Time) { e.afterFn = f }
