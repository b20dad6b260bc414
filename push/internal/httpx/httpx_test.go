package httpx_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/internal/httpx"
	"github.com/snowpat/snowpat/push/pushtest"
)

// Credentials go over https, or plain http to loopback; plain http
// elsewhere only with insecure, which logs a warning naming the host.
func TestEndpoint(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	for _, c := range []struct {
		raw      string
		insecure bool
		ok       bool
	}{
		{"https://api.powerbi.com", false, true},
		{"https://api.powerbi.com/", false, true},
		{"http://127.0.0.1:8080", false, true},
		{"http://[::1]:8080", false, true},
		{"http://localhost", false, true},
		{"http://tableau.corp", false, false},
		{"http://tableau.corp", true, true},
		{"ftp://tableau.corp", true, false},
		{"https://u:p@tableau.corp", false, false},
		{"https://tableau.corp/?x=1", false, false},
		{"https://", false, false},
	} {
		u, err := httpx.Endpoint(c.raw, c.insecure, log)
		if c.ok {
			require.NoError(t, err, c.raw)
			assert.NotContains(t, u.String()+"$", "/$", "no trailing slash")
		} else {
			require.Error(t, err, c.raw)
			assert.NotContains(t, err.Error(), ":p@", "a password in the URL never shows")
		}
	}
	assert.Contains(t, logs.String(), "tableau.corp")
	assert.NotContains(t, logs.String(), "127.0.0.1", "loopback needs no warning")
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{}
	assert.Zero(t, httpx.RetryAfter(h, now))
	h.Set("Retry-After", "12")
	assert.Equal(t, 12*time.Second, httpx.RetryAfter(h, now))
	h.Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
	assert.Equal(t, 90*time.Second, httpx.RetryAfter(h, now))
	for _, bad := range []string{"-3", "soon", now.Add(-time.Hour).Format(http.TimeFormat)} {
		h.Set("Retry-After", bad)
		assert.Zero(t, httpx.RetryAfter(h, now), bad)
	}
}

// A redirect reaches the caller as a 3xx answer; the custom header that
// carries a session never follows it.
func TestNoRedirects(t *testing.T) {
	var leaked bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked = r.Header.Get("X-Tableau-Auth") != "" }))
	defer target.Close()
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusFound)
	}))
	defer src.Close()
	c := httpx.NoRedirects(src.Client())
	req, _ := http.NewRequest(http.MethodGet, src.URL, nil)
	req.Header.Set("X-Tableau-Auth", "session")
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.False(t, leaked)
	assert.Nil(t, src.Client().CheckRedirect, "the caller's client is not changed")
}

func policy(clock push.Clock) *httpx.Policy {
	return httpx.NewPolicy(push.Options{Clock: clock, Rand: rand.New(rand.NewPCG(3, 4)),
		Retry: push.Retry{Attempts: 5, Initial: time.Second, Max: 4 * time.Second, MaxRetryAfter: time.Minute}})
}

// Backoff doubles to its cap with full jitter; Retry-After wins when
// longer; a non-retryable failure ends at once.
func TestPolicy(t *testing.T) {
	clock := pushtest.NewClock(time.Unix(0, 0))
	p := policy(clock)
	transient := errors.New("503")
	n := 0
	err := p.Do(context.Background(), func() httpx.Attempt { n++; return httpx.Attempt{Err: transient, Retry: true} })
	require.ErrorIs(t, err, transient)
	assert.Equal(t, 5, n)
	w := clock.Waits()
	require.Len(t, w, 4)
	for i, ceil := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		assert.Positive(t, w[i])
		assert.LessOrEqual(t, w[i], ceil)
	}

	n = 0
	err = p.Do(context.Background(), func() httpx.Attempt {
		n++
		if n == 1 {
			return httpx.Attempt{Err: transient, Retry: true, RetryAfter: 30 * time.Second}
		}
		return httpx.Attempt{}
	})
	require.NoError(t, err)
	assert.Equal(t, 30*time.Second, clock.Waits()[4])

	n = 0
	err = p.Do(context.Background(), func() httpx.Attempt { n++; return httpx.Attempt{Err: transient} })
	require.ErrorIs(t, err, transient)
	assert.Equal(t, 1, n)
}

// stuck is a clock whose timers never fire.
type stuck struct{}

func (stuck) Now() time.Time                       { return time.Unix(0, 0) }
func (stuck) After(time.Duration) <-chan time.Time { return nil }

// A context that ends before or while the policy waits ends the call
// with the context's error, not the last try's, and without another try.
func TestPolicyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tries := 0
	err := policy(stuck{}).Do(ctx, func() httpx.Attempt {
		tries++
		cancel()
		return httpx.Attempt{Err: errors.New("503"), Retry: true}
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, tries)

	ctx, cancel = context.WithCancel(context.Background())
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- policy(waitClock{waiting}).Do(ctx, func() httpx.Attempt { return httpx.Attempt{Err: errors.New("503"), Retry: true} })
	}()
	<-waiting
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// waitClock's timers never fire; After says when the policy waits.
type waitClock struct{ waiting chan struct{} }

func (waitClock) Now() time.Time { return time.Unix(0, 0) }
func (c waitClock) After(time.Duration) <-chan time.Time {
	close(c.waiting)
	return nil
}
