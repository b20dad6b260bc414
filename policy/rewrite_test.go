package policy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A store write is keyed by its secret, so a repair that copies a secret
// into a store meets the key again when that store was once given the same
// secret with other metadata (an expiry estimated at another moment, by a
// pass that crashed; its version since retired). The repair writes it
// under a key derived from that one instead of failing every pass.
func TestCopyMeetsItsKeyWithOtherMetadata(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 2)
	ctx := context.Background()
	_, err := w.engine().Apply(ctx, tg)
	require.NoError(t, err)

	// The rotation reaches the first store only.
	w.Clock.Step(91 * policy.Day)
	down := w.faults.Fail(memstore.Match{Op: memstore.OpPutPending, Store: tg.Stores[1], Times: memstore.Always}, errors.New("down"))
	_, err = w.engine().Apply(ctx, tg)
	require.Error(t, err)
	down.Remove()

	// The second store was given the new secret before, with other
	// metadata, and that version was retired.
	cur, err := w.Store(tg.Stores[0]).Current(ctx)
	require.NoError(t, err)
	s1 := w.Store(tg.Stores[1])
	id, err := s1.PutPending(ctx, cur.Value(), &secrets.PutOptions{
		IdempotencyKey: policy.IdempotencyKey(tg.User, cur.Value()),
		Metadata:       map[string]string{"snowflake_user": tg.User, "token_name": tg.Token, "expires_at": "2000-01-01T00:00:00Z"},
	})
	require.NoError(t, err)
	require.NoError(t, s1.Retire(ctx, id))

	d, err := w.engine().Apply(ctx, tg)
	require.NoError(t, err, "%s", d.Reason())
	w.requireWorks(tg)
	require.True(t, w.RequireSettled(t, tg))
}
