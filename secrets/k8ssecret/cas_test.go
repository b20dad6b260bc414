package k8ssecret

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
)

// Two rotators share one Secret, each through its own client. Rotator A
// reads the Secret, and before its write lands rotator B writes: A's
// update carries a stale resourceVersion, the API server refuses it with
// 409, and A decides again on a fresh read. Neither credential is lost,
// and a compare-and-swap on the current version that no longer holds is
// refused instead of overwriting B's work.
func TestTwoWritersInterleaved(t *testing.T) {
	ctx := context.Background()
	srv := k8sfake.New()
	a, b := newFixture(t, srv), newFixture(t, srv)
	first, err := a.store.Put(ctx, []byte("pat-first"), nil)
	require.NoError(t, err)

	// B writes between A's read and A's write, once.
	var fired atomic.Bool
	var bID string
	a.link.Hook(func(_ *http.Request, req k8sfake.Request) error {
		if req.Verb == "update" && fired.CompareAndSwap(false, true) {
			var err error
			bID, err = b.store.Put(ctx, []byte("pat-from-b"), nil)
			require.NoError(t, err)
		}
		return nil
	})
	aID, err := a.store.Put(ctx, []byte("pat-from-a"), nil)
	require.NoError(t, err)
	require.True(t, fired.Load())
	stages := map[string]secrets.Stage{}
	vs, err := a.store.List(ctx)
	require.NoError(t, err)
	for _, v := range vs {
		stages[v.ID] = v.Stage
	}
	assert.Equal(t, map[string]secrets.Stage{first: secrets.StageNone, bID: secrets.StagePrevious, aID: secrets.StageCurrent}, stages,
		"A's write went on top of B's, which was not lost")
	cur, err := b.store.ByID(ctx, bID)
	require.NoError(t, err)
	assert.Equal(t, "pat-from-b", string(cur.Value()))

	// Now a conditional write: A expects current to be aID, B moves it first.
	fired.Store(false)
	a.link.Hook(func(_ *http.Request, req k8sfake.Request) error {
		if req.Verb == "update" && fired.CompareAndSwap(false, true) {
			_, err := b.store.PutIf(ctx, []byte("pat-from-b-2"), secrets.IfCurrent(aID), nil)
			require.NoError(t, err)
		}
		return nil
	})
	_, err = a.store.PutIf(ctx, []byte("pat-from-a-2"), secrets.IfCurrent(aID), nil)
	require.ErrorIs(t, err, secrets.ErrConflict, "A's precondition no longer holds once B has written")
	a.link.Heal()
	now, err := a.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, "pat-from-b-2", string(now.Value()), "B's credential stands")
}

// Two rotators run read-modify-write rotations on one Secret at once,
// each through its own client: every rotation either lands on top of the
// one before it or is refused, so the chain of current versions holds
// every credential that was ever reported written, none overwritten, and
// no current version is replaced by two rotations (a lost update).
func TestTwoRotatorsLoseNoCredential(t *testing.T) {
	ctx := context.Background()
	srv := k8sfake.New()
	stores := []*secrets.Store{newFixture(t, srv).store, newFixture(t, srv).store}
	_, err := stores[0].Put(ctx, []byte("seed"), nil)
	require.NoError(t, err)
	var mu sync.Mutex
	won := map[string]string{}  // id → value of every successful rotation
	base := map[string]string{} // the current version each rotation replaced → the rotation
	var wg sync.WaitGroup
	for w, s := range stores {
		wg.Go(func() {
			for i := range 15 {
				cur, err := s.Current(ctx)
				if !assert.NoError(t, err) {
					return
				}
				val := fmt.Sprintf("pat-%d-%d", w, i)
				id, err := s.PutPendingIf(ctx, []byte(val), secrets.IfCurrent(cur.ID), &secrets.PutOptions{IdempotencyKey: val})
				if err == nil {
					err = s.PromoteIf(ctx, id, secrets.IfCurrent(cur.ID))
				}
				if err != nil {
					assert.ErrorIs(t, err, secrets.ErrConflict)
					continue
				}
				mu.Lock()
				assert.Empty(t, base[cur.ID], "version %s was rotated twice: one rotation overwrote the other", cur.ID)
				won[id], base[cur.ID] = val, id
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.NotEmpty(t, won)
	for id, val := range won {
		v, err := stores[1].ByID(ctx, id)
		require.NoError(t, err, "version %s", id)
		assert.Equal(t, val, string(v.Value()))
	}
}
