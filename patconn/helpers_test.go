package patconn_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// flaky wraps the real memstore driver. Get fails with fail while it is
// set; while gated it blocks until gate is closed, to hold readers in one
// read; while hung it blocks until its context ends, saying so on entered
// and returning the context's error, as a store that never answers does.
type flaky struct {
	driver.Secret
	fail    atomic.Pointer[error]
	gate    chan struct{}
	gated   atomic.Bool
	hung    atomic.Bool
	entered chan struct{}
}

var (
	errDown   = errors.New("store down")
	errDenied = errors.New("access revoked")
)

func newFlaky() *flaky {
	return &flaky{Secret: memstore.NewDriver(), gate: make(chan struct{}), entered: make(chan struct{}, 1)}
}

func (f *flaky) setFail(err error) {
	if err == nil {
		f.fail.Store(nil)
		return
	}
	f.fail.Store(&err)
}

func (f *flaky) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if f.gated.Load() {
		<-f.gate
	}
	if f.hung.Load() {
		f.entered <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err := f.fail.Load(); err != nil {
		return nil, *err
	}
	return f.Secret.Get(ctx, sel)
}

func (f *flaky) ErrorCode(err error) driver.ErrorCode {
	switch {
	case errors.Is(err, errDown):
		return driver.CodeUnavailable
	case errors.Is(err, errDenied):
		return driver.CodePermissionDenied
	}
	return f.Secret.ErrorCode(err)
}

// start is when every fake clock in these tests starts.
var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func put(t testing.TB, s *secrets.Store, secret string) {
	t.Helper()
	putFor(t, s, "SVC", secret)
}

// putFor stores secret as the JSON format records it for user.
func putFor(t testing.TB, s *secrets.Store, user, secret string) {
	t.Helper()
	b, err := pat.EncodeStored(pat.StoredToken{Account: "A", User: user, TokenName: "T", Token: pat.NewSecret(secret)}, pat.FormatJSON)
	require.NoError(t, err)
	_, err = s.Put(context.Background(), b, nil)
	require.NoError(t, err)
}

// readFirst stores the token "one" and reads it through r.
func readFirst(t testing.TB, r *patconn.Reader, s *secrets.Store) {
	t.Helper()
	put(t, s, "one")
	tok, err := r.Get(context.Background())
	require.NoError(t, err)
	require.Equal(t, "one", tok.Secret.Reveal())
}

func newReader(t testing.TB, opts patconn.Options) (*patconn.Reader, *secrets.Store, *flaky, *testingclock.FakeClock) {
	t.Helper()
	f := newFlaky()
	s := secretsStore(t, f)
	clock := newFakeClock()
	opts.Clock = clock
	r, err := patconn.NewReader(s, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r, s, f, clock
}

func newFakeClock() *testingclock.FakeClock { return testingclock.NewFakeClock(start) }

// secretsStore is a Store over d, closed when the test ends.
func secretsStore(t testing.TB, d driver.Secret) *secrets.Store {
	t.Helper()
	s := secrets.NewStore(d)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// cfgFor is a login configuration for user that is never used to connect.
func cfgFor(user string) gosnowflake.Config {
	return gosnowflake.Config{Account: "example", User: user, Host: "127.0.0.1", Port: 1, Protocol: "http"}
}
