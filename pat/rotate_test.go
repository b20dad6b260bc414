package pat

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestRotateWithGrace(t *testing.T) {
	e := newEmu(t)
	e.serviceUser("SVC", "R")
	ctx := context.Background()
	added, err := e.client.Add(ctx, "SVC", "BI", AddOptions{RoleRestriction: "R", DaysToExpiry: 30})
	require.NoError(t, err)
	before, err := e.client.Get(ctx, "SVC", "BI")
	require.NoError(t, err)

	e.srv.FakeClock().Step(time.Hour)
	rot, err := e.client.Rotate(ctx, "SVC", "bi", RotateOptions{GraceHours: 2})
	require.NoError(t, err)
	assert.Equal(t, "BI", rot.TokenName)
	assert.True(t, strings.HasPrefix(rot.RotatedTokenName, "BI_ROTATED_"), rot.RotatedTokenName)
	assert.False(t, rot.Secret.Equal(added.Secret))

	// Both secrets work during the grace period.
	require.NoError(t, e.login("SVC", pattest.PAT(rot.Secret.Reveal())))
	require.NoError(t, e.login("SVC", pattest.PAT(added.Secret.Reveal())))

	tokens, err := e.client.List(ctx, "SVC")
	require.NoError(t, err)
	byName := map[string]Token{}
	for _, tk := range tokens {
		byName[tk.Name] = tk
	}
	require.Len(t, byName, 2)
	old := byName[rot.RotatedTokenName]
	assert.True(t, old.IsRotated())
	assert.Equal(t, "BI", old.RotatedTo)
	cur := byName["BI"]
	assert.False(t, cur.IsRotated())
	assert.Equal(t, before.ExpiresAt.Sub(before.CreatedOn), cur.ExpiresAt.Sub(cur.CreatedOn), "rotation keeps the lifetime length")

	// A rotated-out token can only expire or be removed.
	// Snowflake's text for this refusal is unpublished, so it classifies
	// only by the emulator's generic code (001008).
	err = e.client.Disable(ctx, "SVC", rot.RotatedTokenName)
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = e.client.Rotate(ctx, "SVC", rot.RotatedTokenName, RotateOptions{})
	require.ErrorIs(t, err, ErrInvalidArgument)

	e.srv.FakeClock().Step(2*time.Hour + time.Minute)
	require.ErrorIs(t, e.login("SVC", pattest.PAT(added.Secret.Reveal())), ErrInvalidToken)
	require.NoError(t, e.login("SVC", pattest.PAT(rot.Secret.Reveal())))
}

func TestRotateDefaultsAndImmediate(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	added, err := e.client.Add(ctx, "ALICE", "T", AddOptions{})
	require.NoError(t, err)

	// The zero options keep Snowflake's 24 hours of grace.
	rot, err := e.client.Rotate(ctx, "ALICE", "T", RotateOptions{})
	require.NoError(t, err)
	e.srv.FakeClock().Step(23 * time.Hour)
	require.NoError(t, e.login("ALICE", pattest.PAT(added.Secret.Reveal())))
	e.srv.FakeClock().Step(2 * time.Hour)
	require.ErrorIs(t, e.login("ALICE", pattest.PAT(added.Secret.Reveal())), ErrInvalidToken)

	// ExpireImmediately cuts the old secret off at once.
	again, err := e.client.Rotate(ctx, "ALICE", "T", RotateOptions{ExpireImmediately: true})
	require.NoError(t, err)
	require.ErrorIs(t, e.login("ALICE", pattest.PAT(rot.Secret.Reveal())), ErrInvalidToken)
	require.NoError(t, e.login("ALICE", pattest.PAT(again.Secret.Reveal())))

	_, err = e.client.Rotate(ctx, "ALICE", "MISSING", RotateOptions{})
	require.ErrorIs(t, err, ErrNotFound)
}
