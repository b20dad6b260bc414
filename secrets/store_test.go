package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every refused argument is an ErrInvalidArgument and never reaches the
// driver, whatever the context.
func TestValidationBeforeDriver(t *testing.T) {
	ctx := t.Context()
	okValue := []byte("v")
	long := strings.Repeat("x", 300)
	cases := map[string]func(s *secrets.Store) error{
		"Put empty": func(s *secrets.Store) error { _, err := s.Put(ctx, nil, nil); return err },
		"Put too big": func(s *secrets.Store) error {
			_, err := s.Put(ctx, make([]byte, secrets.MaxValueSize+1), nil)
			return err
		},
		"PutPending empty": func(s *secrets.Store) error { _, err := s.PutPending(ctx, []byte{}, nil); return err },
		"Put bad metadata": func(s *secrets.Store) error {
			_, err := s.Put(ctx, okValue, &secrets.PutOptions{Metadata: map[string]string{"Bad": "x"}})
			return err
		},
		"Put bad key": func(s *secrets.Store) error {
			_, err := s.Put(ctx, okValue, &secrets.PutOptions{IdempotencyKey: "a b"})
			return err
		},
		"ByID empty":         func(s *secrets.Store) error { _, err := s.ByID(ctx, ""); return err },
		"ByID long":          func(s *secrets.Store) error { _, err := s.ByID(ctx, long); return err },
		"ByStage none":       func(s *secrets.Store) error { _, err := s.ByStage(ctx, secrets.StageNone); return err },
		"ByStage invalid":    func(s *secrets.Store) error { _, err := s.ByStage(ctx, secrets.Stage(7)); return err },
		"Promote empty":      func(s *secrets.Store) error { return s.Promote(ctx, "") },
		"Retire control":     func(s *secrets.Store) error { return s.Retire(ctx, "a\x00b") },
		"PutIf zero pre":     func(s *secrets.Store) error { _, err := s.PutIf(ctx, okValue, secrets.Precondition{}, nil); return err },
		"PutIf empty id":     func(s *secrets.Store) error { _, err := s.PutIf(ctx, okValue, secrets.IfCurrent(""), nil); return err },
		"PromoteIf zero pre": func(s *secrets.Store) error { return s.PromoteIf(ctx, "1", secrets.Precondition{}) },
		"PutIf bad value":    func(s *secrets.Store) error { _, err := s.PutIf(ctx, nil, secrets.IfAbsent(), nil); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			sp := &spy{id: "1"}
			err := call(secrets.NewStore(casSpy{sp}))
			require.ErrorIs(t, err, secrets.ErrInvalidArgument)
			assert.Empty(t, sp.Calls(), "the driver was called")
			var e *secrets.Error
			require.ErrorAs(t, err, &e)
			assert.Nil(t, e.Err)
		})
	}
}

// Each driver code becomes its sentinel, and only that one; the native
// error stays reachable.
func TestErrorCodes(t *testing.T) {
	want := map[driver.ErrorCode]error{
		driver.CodeNotFound:         secrets.ErrNotFound,
		driver.CodeAlreadyExists:    secrets.ErrAlreadyExists,
		driver.CodeConflict:         secrets.ErrConflict,
		driver.CodePermissionDenied: secrets.ErrPermissionDenied,
		driver.CodeUnavailable:      secrets.ErrUnavailable,
		driver.CodeInvalidArgument:  secrets.ErrInvalidArgument,
		driver.CodeUnsupported:      secrets.ErrUnsupported,
		driver.CodeUnknown:          nil,
	}
	for code, sentinel := range want {
		t.Run(code.String(), func(t *testing.T) {
			nat := &native{status: 404}
			s := secrets.NewStore(&spy{err: fmt.Errorf("wrapped: %w", nat), code: code})
			_, err := s.Current(t.Context())
			require.Error(t, err)
			for _, other := range want {
				if other != nil && other != sentinel {
					assert.NotErrorIs(t, err, other)
				}
			}
			if sentinel != nil {
				assert.ErrorIs(t, err, sentinel)
			}
			var got *native
			require.ErrorAs(t, err, &got)
			assert.Equal(t, 404, got.status)
			var e *secrets.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "Current", e.Op)
			assert.Equal(t, sentinel, e.Kind)
		})
	}
}

func TestErrorText(t *testing.T) {
	s := secrets.NewStore(&spy{err: errors.New("backend said no"), code: driver.CodeConflict})
	err := s.Promote(t.Context(), "7")
	assert.EqualError(t, err, "secrets: Promote: conflict: backend said no")

	s = secrets.NewStore(&spy{err: errors.New("mystery"), code: driver.CodeUnknown})
	err = s.Promote(t.Context(), "7")
	assert.EqualError(t, err, "secrets: Promote: mystery")

	_, err = s.Put(t.Context(), make([]byte, secrets.MaxValueSize+1), nil)
	assert.EqualError(t, err, "secrets: Put: invalid argument: value is 16385 bytes; want 1 to 16384")

	_, err = secrets.NewStore(&spy{}).PutIf(t.Context(), []byte("x"), secrets.IfAbsent(), nil)
	assert.EqualError(t, err, "secrets: PutIf: unsupported operation: the backend has no compare-and-swap")
}

// Context errors keep their identity even when the driver calls them
// unavailable, and a done context wins over whatever the driver says.
func TestContextErrors(t *testing.T) {
	t.Run("driver returns context.Canceled", func(t *testing.T) {
		s := secrets.NewStore(&spy{err: fmt.Errorf("rpc: %w", context.Canceled), code: driver.CodeUnavailable})
		_, err := s.Current(t.Context())
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	})
	t.Run("driver returns DeadlineExceeded", func(t *testing.T) {
		s := secrets.NewStore(&spy{err: context.DeadlineExceeded, code: driver.CodeUnavailable})
		err := s.Delete(t.Context())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	})
	t.Run("context done during the call", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		sp := &spy{code: driver.CodeUnavailable}
		sp.err = errors.New("connection reset")
		s := secrets.NewStore(cancelling{sp, cancel})
		_, err := s.Current(ctx)
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, secrets.ErrUnavailable)
		assert.ErrorContains(t, err, "connection reset")
	})
	t.Run("done before the call", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		sp := &spy{id: "1"}
		s := secrets.NewStore(casSpy{sp})
		_, err := s.Put(ctx, []byte("x"), nil)
		assert.ErrorIs(t, err, context.Canceled)
		_, err = s.PutIf(ctx, []byte("x"), secrets.IfAbsent(), nil)
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, s.Promote(ctx, "1"), context.Canceled)
		_, err = s.List(ctx)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, sp.Calls())
	})
}

// cancelling cancels the context when the driver is called, as a context
// that expires during a request does.
type cancelling struct {
	*spy
	cancel context.CancelFunc
}

func (c cancelling) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	c.cancel()
	return c.spy.Get(ctx, sel)
}

func TestCompareAndSwap(t *testing.T) {
	ctx := t.Context()
	t.Run("unsupported", func(t *testing.T) {
		sp := &spy{id: "1"}
		s := secrets.NewStore(sp)
		assert.False(t, s.SupportsCompareAndSwap())
		_, err := s.PutIf(ctx, []byte("x"), secrets.IfCurrent("1"), nil)
		assert.ErrorIs(t, err, secrets.ErrUnsupported)
		assert.ErrorIs(t, err, errors.ErrUnsupported)
		_, err = s.PutPendingIf(ctx, []byte("x"), secrets.IfAbsent(), nil)
		assert.ErrorIs(t, err, secrets.ErrUnsupported)
		assert.ErrorIs(t, s.PromoteIf(ctx, "2", secrets.IfCurrent("1")), secrets.ErrUnsupported)
		assert.Empty(t, sp.Calls())
	})
	t.Run("preconditions reach the driver", func(t *testing.T) {
		sp := &spy{id: "9"}
		s := secrets.NewStore(casSpy{sp})
		assert.True(t, s.SupportsCompareAndSwap())
		id, err := s.PutPendingIf(ctx, []byte("x"), secrets.IfCurrent("3"), &secrets.PutOptions{IdempotencyKey: "k"})
		require.NoError(t, err)
		assert.Equal(t, "9", id)
		assert.Equal(t, driver.Precondition{CurrentID: "3"}, sp.lastPre)
		assert.True(t, sp.lastReq.Pending)
		assert.Equal(t, "k", sp.lastReq.IdempotencyKey)
		require.NoError(t, s.PromoteIf(ctx, "9", secrets.IfAbsent()))
		assert.Equal(t, driver.Precondition{Absent: true}, sp.lastPre)
		assert.Equal(t, []string{"PutIf", "PromoteIf"}, sp.Calls())
	})
}

// The Store passes a copy of the caller's metadata, so a driver that keeps
// the map cannot see later changes, and refuses a driver's empty id.
func TestPutRequest(t *testing.T) {
	sp := &spy{id: "1"}
	s := secrets.NewStore(sp)
	md := map[string]string{"a": "1"}
	_, err := s.Put(t.Context(), []byte("x"), &secrets.PutOptions{Metadata: md})
	require.NoError(t, err)
	md["a"] = "2"
	assert.Equal(t, "1", sp.lastReq.Metadata["a"])
	assert.False(t, sp.lastReq.Pending)

	sp.id = ""
	_, err = s.Put(t.Context(), []byte("x"), nil)
	assert.ErrorContains(t, err, "empty version id")
}

func TestListSortsOldestFirst(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sp := &spy{list: []*driver.VersionInfo{
		{ID: "c", Created: t0.Add(2 * time.Hour), Stage: driver.StageCurrent, Enabled: true},
		{ID: "a", Created: t0, Metadata: map[string]string{}},
		{ID: "b1", Created: t0.Add(time.Hour), Stage: driver.StagePrevious},
		{ID: "b2", Created: t0.Add(time.Hour), Stage: driver.StagePending, Metadata: map[string]string{"k": "v"}},
	}}
	vs, err := secrets.NewStore(sp).List(t.Context())
	require.NoError(t, err)
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID+":"+v.Stage.String())
	}
	assert.Equal(t, []string{"a:none", "b1:previous", "b2:pending", "c:current"}, ids)
	assert.Nil(t, vs[0].Metadata, "an empty map is reported as nil")
	vs[3].Metadata = nil
	vs[2].Metadata["k"] = "changed"
	assert.Equal(t, "v", sp.list[3].Metadata["k"], "List returned the driver's map")
}

func TestAsAndErrorAs(t *testing.T) {
	sp := &spy{err: &native{status: 503}, code: driver.CodeUnavailable}
	s := secrets.NewStore(sp)
	var got *spy
	assert.True(t, s.As(&got))
	assert.Same(t, sp, got)
	assert.False(t, s.As(nil))
	assert.False(t, s.As(got), "a non-pointer-to-pointer target")
	var nilPtr **spy
	assert.False(t, s.As(nilPtr))

	_, err := s.Current(t.Context())
	var n *native
	require.True(t, s.ErrorAs(err, &n))
	assert.Equal(t, 503, n.status)
	var iface interface{ Error() string }
	assert.True(t, s.ErrorAs(err, &iface))

	sp.errorAs = func(err error, _ any) bool {
		_, isPortable := err.(*secrets.Error)
		assert.False(t, isPortable, "ErrorAs gave the driver the portable error")
		return false
	}
	assert.False(t, s.ErrorAs(err, &n))
	calls := len(sp.Calls())
	assert.False(t, s.ErrorAs(nil, &n))
	_, err = s.Put(t.Context(), nil, nil)
	assert.False(t, s.ErrorAs(err, &n), "a Store's own error has no native error")
	assert.Len(t, sp.Calls(), calls, "the driver was asked about a Store's own error")
}

// A target errors.As would refuse makes ErrorAs panic as errors.As does,
// rather than return a false that reads as "not that kind of error".
func TestErrorAsBadTarget(t *testing.T) {
	sp := &spy{err: &native{status: 503}, code: driver.CodeUnavailable}
	s := secrets.NewStore(sp)
	_, err := s.Current(t.Context())
	require.Error(t, err)
	var notAnError *int
	var n native
	for name, target := range map[string]any{
		"nil":                    nil,
		"not a pointer":          n,
		"nil pointer":            (**native)(nil),
		"pointer to a non-error": &notAnError,
	} {
		assert.PanicsWithValue(t, panicText(func() { errors.As(err, target) }), func() { s.ErrorAs(err, target) }, name)
	}
	assert.NotContains(t, sp.Calls(), "ErrorAs", "the driver was asked about an invalid target")
}

// panicText is what f panics with, with errors.As's prefix swapped for
// ErrorAs's own.
func panicText(f func()) (text string) {
	defer func() {
		text = "secrets: ErrorAs: " + strings.TrimPrefix(fmt.Sprint(recover()), "errors: ")
	}()
	f()
	return ""
}

// Close waits for the driver calls in flight before it closes the driver,
// as the driver contract promises, and refuses calls from the moment it
// starts. synctest makes "Close is waiting" observable: synctest.Wait
// returns once every goroutine is blocked, so a Close that did not wait
// would have closed the driver by then.
func TestCloseWaitsForCallsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &gated{spy: &spy{}, entered: make(chan struct{}), release: make(chan struct{})}
		s := secrets.NewStore(g)
		got := make(chan error, 1)
		go func() {
			_, err := s.Current(t.Context())
			got <- err
		}()
		<-g.entered // the Get is in the driver

		closed := make(chan error, 1)
		go func() { closed <- s.Close() }()
		synctest.Wait()
		assert.NotContains(t, g.Calls(), "Close", "the driver was closed with a Get in flight")
		_, err := s.List(t.Context())
		require.ErrorIs(t, err, secrets.ErrInvalidArgument, "a call was let in while Close waited")

		close(g.release)
		require.NoError(t, <-got)
		require.NoError(t, <-closed)
		assert.Equal(t, []string{"Get", "Close"}, g.Calls())
		require.ErrorIs(t, s.Close(), secrets.ErrInvalidArgument)
	})
}

// gated is a spy whose Get blocks until release is closed, saying when it
// has entered.
type gated struct {
	*spy
	entered chan struct{}
	release chan struct{}
}

func (g *gated) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	v, err := g.spy.Get(ctx, sel)
	close(g.entered)
	<-g.release
	return v, err
}

func TestClose(t *testing.T) {
	sp := &spy{closeErr: &native{status: 1}, code: driver.CodeUnavailable}
	s := secrets.NewStore(sp)
	err := s.Close()
	assert.ErrorIs(t, err, secrets.ErrUnavailable)
	assert.ErrorIs(t, s.Close(), secrets.ErrInvalidArgument)
	_, err = s.Current(t.Context())
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.ErrorContains(t, err, "closed")
	assert.Equal(t, []string{"Close"}, sp.Calls())
	assert.NoError(t, secrets.NewStore(&spy{}).Close())
}
