package policy

import (
	cryptorand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"sync"
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
// retry together. It is a pure function of n and the random source.
func (r Retry) backoff(n int, rng *lockedRand) time.Duration {
	ceil := r.Initial
	for i := 1; i < n && ceil < r.Max; i++ {
		ceil *= 2
	}
	ceil = min(ceil, r.Max)
	return time.Duration(rng.int64N(int64(ceil)) + 1)
}

// lockedRand shares one random source between goroutines.
type lockedRand struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newLockedRand(r *rand.Rand) *lockedRand {
	if r == nil {
		var seed [16]byte
		_, _ = cryptorand.Read(seed[:])
		r = rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	}
	return &lockedRand{r: r}
}

// nonce is a fresh random identifier, for records only one writer may
// complete.
func (l *lockedRand) nonce() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strconv.FormatUint(l.r.Uint64(), 36) + strconv.FormatUint(l.r.Uint64(), 36)
}

func (l *lockedRand) int64N(n int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Int64N(n)
}
