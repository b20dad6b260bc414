package httpx

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/snowpat/snowpat/push"
)

// Attempt is the outcome of one try of a call.
type Attempt struct {
	// Err is nil when the try succeeded, which ends the call.
	Err error
	// Retry says the failure is transient and the call safe to repeat.
	Retry bool
	// RetryAfter is the server's Retry-After, or zero.
	RetryAfter time.Duration
}

// Policy runs calls with retries. It is safe for concurrent use.
type Policy struct {
	retry push.Retry
	clock push.Clock
	mu    sync.Mutex
	rng   *rand.Rand
}

// NewPolicy takes the retry settings, clock and random source of o, whose
// defaults are filled in.
func NewPolicy(o push.Options) *Policy {
	return &Policy{retry: o.Retry, clock: o.Clock, rng: o.Rand}
}

// Clock is the policy's clock.
func (p *Policy) Clock() push.Clock { return p.clock }

// Do calls try until it succeeds, fails for good, or has been tried
// Attempts times, waiting between tries. It returns the last try's error,
// or the context's error if the context ends while it waits. A
// Retry-After longer than MaxRetryAfter ends the call at once: waiting
// that long belongs to the engine's next pass, not to one call.
func (p *Policy) Do(ctx context.Context, try func() Attempt) error {
	for n := 1; ; n++ {
		a := try()
		if a.Err == nil || !a.Retry || n >= p.retry.Attempts {
			return a.Err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if a.RetryAfter > p.retry.MaxRetryAfter {
			return a.Err
		}
		wait := max(p.backoff(n), a.RetryAfter)
		select {
		case <-p.clock.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// backoff is the wait after try n (n ≥ 1): a random duration up to
// min(Max, Initial·2^(n-1)), full jitter, so that callers that failed
// together do not retry together.
func (p *Policy) backoff(n int) time.Duration {
	ceil := p.retry.Initial
	for i := 1; i < n && ceil < p.retry.Max; i++ {
		ceil *= 2
	}
	ceil = min(ceil, p.retry.Max)
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Duration(p.rng.Int64N(int64(ceil)) + 1)
}

// Transient reports whether an HTTP status is worth retrying: throttling,
// a request timeout and the server errors that say "try again".
func Transient(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date
// (against now); zero when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
