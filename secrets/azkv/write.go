package azkv

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/idem"
)

// SetSecret is the one request that is not safe to repeat: every PUT
// makes a new version, and azcore's retry policy resends a PUT answered
// 408, 429 or 5xx, or whose connection failed, although the vault may have
// carried it out. So the adapter turns the client's retries off for that
// call and retries it itself, as the client would (the same number of
// attempts, the same delays), except that before every resend it lists the
// versions and looks for one its earlier attempts made: each attempt
// carries the write's random id and its own number in the content type.
// If one is there, the write is done and that version is the one written.
const (
	// setAttempts is azcore's default: one try and three retries.
	setAttempts = 4
	// setDelay and maxSetDelay are azcore's default delays: (2^n-1)*800ms
	// with jitter, at most a minute, unless the vault says Retry-After.
	setDelay    = 800 * time.Millisecond
	maxSetDelay = time.Minute
)

// noRetries is the per-call retry policy of SetSecret.
var noRetries = policy.RetryOptions{MaxRetries: -1}

// setVersion writes p as a new version whose content type is m, tagged
// with a write id and each attempt's number, and returns the version's
// id. The content type is formatted for every attempt; its length does
// not depend on the attempt, so one that fits the first fits them all.
func (s *secret) setVersion(ctx context.Context, p azsecrets.SetSecretParameters, m mark) (string, error) {
	m.w = newWriteID()
	var failed error
	for attempt := 1; attempt <= setAttempts; attempt++ {
		if attempt > 1 {
			if err := s.sleep(ctx, retryDelay(attempt-1, failed)); err != nil {
				return "", err
			}
		}
		m.n = attempt
		ct, err := m.format()
		if err != nil {
			return "", errorf(driver.CodeInvalidArgument, "%v", err)
		}
		p.ContentType = &ct
		r, err := s.c.SetSecret(policy.WithRetryOptions(ctx, noRetries), s.name, p, nil)
		if err == nil {
			return r.ID.Version(), nil
		}
		if ctx.Err() != nil || !retriable(err) {
			return "", err
		}
		failed = err
		// The vault may have carried the request out before it failed.
		id, found, ferr := s.findWrite(ctx, m.w)
		switch {
		case found:
			return id, nil
		case ferr != nil:
			// Without knowing, a resend could write the value twice: the
			// caller retries with its idempotency key instead.
			return "", err
		}
	}
	return "", failed
}

// findWrite returns the version an attempt of write w made, if any. Only
// an attempt that landed after an attempt sent later was seen to fail
// leaves two (a request the vault carried out after its connection was
// gone); the later attempt is then the one reported.
func (s *secret) findWrite(ctx context.Context, w string) (string, bool, error) {
	all, err := s.listAll(ctx)
	if err != nil {
		return "", false, err
	}
	var best *physical
	for _, p := range all {
		if p.mark.w == w && (best == nil || p.mark.n > best.mark.n) {
			best = p
		}
	}
	if best == nil {
		return "", false, nil
	}
	return best.id, true, nil
}

// retriable reports whether azcore's default policy would resend a
// request that failed with err: no answer at all, or 408, 429, 500, 502,
// 503 or 504.
func retriable(err error) bool {
	if re, ok := errors.AsType[*azcore.ResponseError](err); ok {
		switch re.StatusCode {
		case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
			http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	return idem.IsTransport(err)
}

// retryDelay is azcore's: the vault's Retry-After when it sent one (in
// seconds), otherwise (2^n-1) times 800ms, times a jitter of 0.8 to 1.3,
// at most a minute.
func retryDelay(n int, err error) time.Duration {
	if re, ok := errors.AsType[*azcore.ResponseError](err); ok && re.RawResponse != nil {
		if secs, perr := strconv.Atoi(re.RawResponse.Header.Get("Retry-After")); perr == nil && secs >= 0 {
			return min(time.Duration(secs)*time.Second, maxSetDelay)
		}
	}
	d := time.Duration(float64(time.Duration(1<<n-1)*setDelay) * (0.8 + rand.Float64()/2))
	return min(d, maxSetDelay)
}

// sleepCtx waits d, or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// newWriteID returns 64 random bits in base64url: a write id that no two
// writes share.
func newWriteID() string {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
