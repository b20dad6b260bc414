package testingexamples_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/policytest"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// pager is a custom Observer, as a program would write one: it pages once
// per target that failed for good, and never otherwise.
type pager struct {
	mu    sync.Mutex
	pages []string
}

func (p *pager) Event(_ context.Context, ev policy.Event) {
	if ev.Kind != policy.EventFailed || !ev.Final {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages = append(p.pages, fmt.Sprintf("snowpat: %s could not rotate: %v", ev.Target, ev.Err))
}

// The pager is tested against real failures: a store that refuses every
// write while a rotation is due pages once, with the store's error and no
// secret; transient failures that a retry overcomes page nothing.
func TestPagerPagesOnceOnFinalFailure(t *testing.T) {
	faults := &memstore.Faults{}
	w := policytest.New(t, policytest.WithFaults(faults))
	tg := w.Target("APP_SERVICE", policy.Production())
	p := &pager{}
	e := w.Engine(func(o *policy.Options) {
		world := o.Observer // keep the world's observer, and add ours
		o.Observer = policy.ObserverFunc(func(ctx context.Context, ev policy.Event) {
			world.Event(ctx, ev)
			p.Event(ctx, ev)
		})
		o.Retry = policy.Retry{Attempts: 3}
	})
	ctx := context.Background()
	_, err := e.Apply(ctx, tg)
	require.NoError(t, err)

	// One refused write: the retry succeeds, nobody is paged.
	w.Clock.Step(91 * policy.Day)
	faults.Fail(memstore.Match{Op: memstore.OpPutPending}, secrets.ErrUnavailable)
	_, err = e.Apply(ctx, tg)
	require.NoError(t, err)
	require.Empty(t, p.pages)

	// Every write refused: the target fails for good, one page.
	w.Clock.Step(91 * policy.Day)
	down := faults.Fail(memstore.Match{Op: memstore.OpPutPending, Times: memstore.Always}, secrets.ErrPermissionDenied)
	_, err = e.Apply(ctx, tg)
	require.ErrorIs(t, err, policy.ErrFailed)
	require.Len(t, p.pages, 1)
	require.Contains(t, p.pages[0], tg.ID())
	require.Contains(t, p.pages[0], "permission denied")
	down.Remove()
	st, ok := w.Stored(tg.Stores[0])
	require.True(t, ok)
	require.NotContains(t, p.pages[0], st.Token.Reveal(), "a page carries no secret")
	w.RequireNoSecretLeaked(t)
}
