package patconn_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

var (
	errDown   = errors.New("store down")
	errDenied = fmt.Errorf("access revoked: %w", secrets.ErrPermissionDenied)
	// reads are the store reads a Reader makes, every one until removed.
	reads = memstore.Match{Op: memstore.OpGet, Times: memstore.Always}
)

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

func newReader(t testing.TB, opts patconn.Options) (*patconn.Reader, *secrets.Store, *memstore.Faults, *testingclock.FakeClock) {
	t.Helper()
	f := &memstore.Faults{}
	s := memstore.NewStore(memstore.WithFaults(f))
	t.Cleanup(func() { _ = s.Close() })
	clock := newFakeClock()
	opts.Clock = clock
	r, err := patconn.NewReader(s, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r, s, f, clock
}

func newFakeClock() *testingclock.FakeClock { return testingclock.NewFakeClock(start) }

// cfgFor is a login configuration for user that is never used to connect.
func cfgFor(user string) gosnowflake.Config {
	return gosnowflake.Config{Account: "example", User: user, Host: "127.0.0.1", Port: 1, Protocol: "http"}
}
