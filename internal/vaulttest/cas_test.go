package vaulttest

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two clients (separate connections, as two processes would have) run
// read-modify-write loops with PutIf on one counter: every increment
// lands exactly once.
func TestCASNoLostUpdate(t *testing.T) {
	srv := Start(t, 1000)
	path := "cas/counter"
	a := openStore(t, srv.Client(t), path)
	b := openStore(t, srv.Client(t), path)
	ctx := t.Context()
	_, err := a.PutIf(ctx, []byte("0"), secrets.IfAbsent(), nil)
	require.NoError(t, err)

	const perWriter, writers = 8, 4
	var wg sync.WaitGroup
	seen := make(chan int, perWriter*writers)
	for w := range writers {
		s := []*secrets.Store{a, b}[w%2]
		wg.Go(func() {
			for range perWriter {
				for {
					cur, err := s.Current(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					n, _ := strconv.Atoi(string(cur.Value()))
					_, err = s.PutIf(ctx, []byte(strconv.Itoa(n+1)), secrets.IfCurrent(cur.ID), nil)
					if errors.Is(err, secrets.ErrConflict) {
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					seen <- n + 1
					break
				}
			}
		})
	}
	wg.Wait()
	close(seen)
	got := map[int]bool{}
	for n := range seen {
		assert.False(t, got[n], "count %d written twice: a lost update", n)
		got[n] = true
	}
	cur, err := a.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(perWriter*writers), string(cur.Value()))
}

// A writer whose read is stale loses every compare-and-swap, and losing
// changes nothing, not even the stage record's version.
func TestStaleWriterLoses(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "cas/stale")
	ctx := t.Context()
	a := f.put(t, "a", nil)
	p := f.putPending(t, "p")
	other := openStore(t, srv.Client(t), f.path)
	b, err := other.PutIf(ctx, []byte("b"), secrets.IfCurrent(a), nil)
	require.NoError(t, err)

	rec, err := f.kv.GetMetadata(ctx, f.path+"/.snowpat-stages")
	require.NoError(t, err)
	_, err = f.s.PutIf(ctx, []byte("stale"), secrets.IfCurrent(a), nil)
	assert.ErrorIs(t, err, secrets.ErrConflict)
	_, err = f.s.PutPendingIf(ctx, []byte("stale"), secrets.IfCurrent(a), nil)
	assert.ErrorIs(t, err, secrets.ErrConflict)
	assert.ErrorIs(t, f.s.PromoteIf(ctx, p, secrets.IfCurrent(a)), secrets.ErrConflict)
	after, err := f.kv.GetMetadata(ctx, f.path+"/.snowpat-stages")
	require.NoError(t, err)
	assert.Equal(t, rec.CurrentVersion, after.CurrentVersion, "no record was written")
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, p: secrets.StagePending, b: secrets.StageCurrent}, stages(t, f.s))

	require.NoError(t, f.s.PromoteIf(ctx, p, secrets.IfCurrent(b)))
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StageNone, p: secrets.StageCurrent, b: secrets.StagePrevious}, stages(t, f.s))
}

// The check-and-set is on the stage record: a writer held between reading
// the record and writing it loses to one that commits meanwhile, re-reads,
// and then either commits too (Put) or finds its precondition broken
// (PutIf, PromoteIf). The value it wrote for the lost PutIf is destroyed.
func TestRecordCheckAndSet(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	path := "cas/interleaved"
	slow := openStore(t, srv.ClientAt(t, proxy.Addr()), path)
	fast := openStore(t, srv.Client(t), path)
	ctx := t.Context()
	a, err := fast.Put(ctx, []byte("a"), nil)
	require.NoError(t, err)

	race := func(slowWrite func() error) error {
		g := proxy.Hold(t, "PUT", "/.snowpat-stages")
		done := make(chan error, 1)
		go func() { done <- slowWrite() }()
		<-g.Arrived()
		_, err := fast.Put(ctx, []byte("fast"), nil)
		require.NoError(t, err)
		g.Release()
		return <-done
	}

	// A plain Put retries and lands on top of the fast one.
	var id string
	require.NoError(t, race(func() (err error) { id, err = slow.Put(ctx, []byte("slow"), nil); return err }))
	cur, err := fast.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)

	// PutIf on the state it read loses.
	err = race(func() error { _, err := slow.PutIf(ctx, []byte("lost"), secrets.IfCurrent(id), nil); return err })
	assert.ErrorIs(t, err, secrets.ErrConflict)
	meta, err := srv.Client(t).KVv2(Mount).GetMetadata(ctx, path)
	require.NoError(t, err)
	assert.True(t, meta.Versions[strconv.Itoa(meta.CurrentVersion-1)].Destroyed, "the lost PutIf's value is destroyed")

	// So does PromoteIf.
	p, err := fast.PutPending(ctx, []byte("p"), nil)
	require.NoError(t, err)
	cur, err = fast.Current(ctx)
	require.NoError(t, err)
	err = race(func() error { return slow.PromoteIf(ctx, p, secrets.IfCurrent(cur.ID)) })
	assert.ErrorIs(t, err, secrets.ErrConflict)
	st := stages(t, fast)
	assert.Equal(t, secrets.StagePending, st[p])
	assert.Equal(t, secrets.StageNone, st[a])
}
