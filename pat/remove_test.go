package pat

import (
	"context"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestRemove(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "T", AddOptions{})
	require.NoError(t, err)

	require.NoError(t, e.client.Remove(ctx, "ALICE", "t"))
	require.ErrorIs(t, e.login("ALICE", pattest.PAT(res.Secret.Reveal())), ErrInvalidToken)
	// Removing again is not an error: REMOVE … IF EXISTS (item 4/5 of
	// issue 15; Snowflake answers "Programmatic access token T not found"
	// without it).
	assert.NoError(t, e.client.Remove(ctx, "ALICE", "T"))
	assert.ErrorIs(t, e.client.Remove(ctx, "NOBODY", "T"), ErrNotFound)
}

func TestRemoveAll(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	e.personUser("BOB")
	ctx := context.Background()
	var secrets []Secret
	for _, name := range []string{"A", "B", "C"} {
		res, err := e.client.Add(ctx, "ALICE", name, AddOptions{})
		require.NoError(t, err)
		secrets = append(secrets, res.Secret)
	}
	rot, err := e.client.Rotate(ctx, "ALICE", "A", RotateOptions{GraceHours: 10})
	require.NoError(t, err)
	secrets = append(secrets, rot.Secret)
	require.NoError(t, e.client.Disable(ctx, "ALICE", "C"))
	bobs, err := e.client.Add(ctx, "BOB", "A", AddOptions{})
	require.NoError(t, err)

	removed, err := e.client.RemoveAll(ctx, "ALICE")
	require.NoError(t, err)
	var names []string
	for _, tk := range removed {
		names = append(names, tk.Name)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"A", rot.RotatedTokenName, "B", "C"}, names)

	left, err := e.client.List(ctx, "ALICE")
	require.NoError(t, err)
	assert.Empty(t, left)
	for _, s := range secrets {
		assert.ErrorIs(t, e.login("ALICE", pattest.PAT(s.Reveal())), ErrInvalidToken)
	}
	require.NoError(t, e.login("BOB", pattest.PAT(bobs.Secret.Reveal())), "other users are untouched")

	removed, err = e.client.RemoveAll(ctx, "ALICE")
	require.NoError(t, err)
	assert.Empty(t, removed)
	_, err = e.client.RemoveAll(ctx, "NOBODY")
	assert.ErrorIs(t, err, ErrNotFound)
}

// TestRemoveAllHalfRemoved: a token listed but already gone (an earlier
// RemoveAll cut short, another remover) does not stop RemoveAll, whether
// Snowflake honours IF EXISTS or answers "not found".
func TestRemoveAllHalfRemoved(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	for _, n := range []string{"A", "B", "C"} {
		_, err := e.client.Add(ctx, "ALICE", n, AddOptions{})
		require.NoError(t, err)
	}
	require.NoError(t, e.client.Remove(ctx, "ALICE", "B")) // half removed before RemoveAll lists
	tokens, err := e.client.List(ctx, "ALICE")
	require.NoError(t, err)
	require.Len(t, tokens, 2)

	// SHOW still lists B (as a listing taken before the removal would), and
	// one Snowflake answers B's removal with "not found".
	ts := "1700000000.000000000"
	rows := &pattest.Rows{Columns: []string{"name", "user_name", "expires_at", "status"}, Types: []string{"text", "text", "timestamp_ltz", "text"}}
	for _, n := range []string{"A", "B", "C"} {
		n := n
		rows.Values = append(rows.Values, []*string{&n, sp("ALICE"), &ts, sp("ACTIVE")})
	}
	e.srv.Inject(pattest.Fault{Match: `^SHOW USER`, Rows: rows})
	e.srv.Inject(pattest.Fault{Match: `REMOVE .*"B"`, Err: &pattest.Error{Code: "000002", SQLState: "02000", Message: "Programmatic access token B not found"}})
	removed, err := e.client.RemoveAll(ctx, "ALICE")
	require.NoError(t, err)
	var names []string
	for _, r := range removed {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"A", "C"}, names)
	tokens, err = e.client.List(ctx, "ALICE")
	require.NoError(t, err)
	assert.Empty(t, tokens)

	// And again: nothing left, nothing to fail on.
	removed, err = e.client.RemoveAll(ctx, "ALICE")
	require.NoError(t, err)
	assert.Empty(t, removed)
}
