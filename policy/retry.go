package policy

import (
	"math/rand/v2"
	"time"
)

// Retry bounds the attempts on one target within one apply: capped
// exponential backoff with full jitter, and a limit after which the target
// is marked failed (ErrFailed) and a failed event raised. The next run
// starts afresh: nothing a failed attempt left behind is lost, because
// every step is resumable.
type Retry struct {
	// Attempts is the most tries per apply; default 5.
	Attempts int
	// Initial and Max bound the wait between tries; defaults 1s and 1m.
	Initial, Max time.Duration
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 5
	}
	if r.Initial <= 0 {
		r.Initial = time.Second
	}
	if r.Max <= 0 {
		r.Max = time.Minute
	}
	return r
}

// backoff is the wait before try n (n ≥ 1): a random duration up to
// min(Max, Initial·2^(n-1)), so that rotators that failed together do not
// retry together.
func (r Retry) backoff(n int) time.Duration {
	ceil := r.Initial
	for i := 1; i < n && ceil < r.Max; i++ {
		ceil *= 2
	}
	if ceil > r.Max {
		ceil = r.Max
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}
