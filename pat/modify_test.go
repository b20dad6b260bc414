package pat

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestDisableEnable(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "T", AddOptions{})
	require.NoError(t, err)

	require.NoError(t, e.client.Disable(ctx, "ALICE", "t"))
	tok, err := e.client.Get(ctx, "ALICE", "T")
	require.NoError(t, err)
	assert.Equal(t, StatusDisabled, tok.Status)
	require.ErrorIs(t, e.login("ALICE", pattest.PAT(res.Secret.Reveal())), ErrInvalidToken)

	require.NoError(t, e.client.Enable(ctx, "ALICE", "T"))
	tok, err = e.client.Get(ctx, "ALICE", "T")
	require.NoError(t, err)
	assert.Equal(t, StatusActive, tok.Status)
	require.NoError(t, e.login("ALICE", pattest.PAT(res.Secret.Reveal())))

	assert.ErrorIs(t, e.client.Disable(ctx, "ALICE", "MISSING"), ErrNotFound)
}

func TestCommentBypassRename(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "T", AddOptions{Comment: "first"})
	require.NoError(t, err)

	for _, comment := range []string{`it's`, `back\slash`, `\'; DROP USER "ALICE"; --`, "two\nlines", `"double"`, "ünï", ""} {
		require.NoError(t, e.client.SetComment(ctx, "ALICE", "T", comment))
		tok, err := e.client.Get(ctx, "ALICE", "T")
		require.NoError(t, err)
		assert.Equal(t, comment, tok.Comment, "the emulator reads back exactly what was quoted")
	}
	require.NoError(t, e.client.UnsetComment(ctx, "ALICE", "T"))
	tok, err := e.client.Get(ctx, "ALICE", "T")
	require.NoError(t, err)
	assert.Empty(t, tok.Comment)

	require.NoError(t, e.client.SetNetworkPolicyBypass(ctx, "ALICE", "T", 30))
	tok, err = e.client.Get(ctx, "ALICE", "T")
	require.NoError(t, err)
	assert.Equal(t, 30, tok.MinsToBypassNetworkPolicy)
	require.NoError(t, e.client.UnsetNetworkPolicyBypass(ctx, "ALICE", "T"))
	tok, err = e.client.Get(ctx, "ALICE", "T")
	require.NoError(t, err)
	assert.Equal(t, 0, tok.MinsToBypassNetworkPolicy)

	require.NoError(t, e.client.Rename(ctx, "ALICE", "T", "renamed"))
	_, err = e.client.Get(ctx, "ALICE", "T")
	require.ErrorIs(t, err, ErrNotFound)
	tok, err = e.client.Get(ctx, "ALICE", "RENAMED")
	require.NoError(t, err)
	assert.Equal(t, "RENAMED", tok.Name)
	require.NoError(t, e.login("ALICE", pattest.PAT(res.Secret.Reveal())), "renaming keeps the secret")

	_, err = e.client.Add(ctx, "ALICE", "OTHER", AddOptions{})
	require.NoError(t, err)
	assert.ErrorIs(t, e.client.Rename(ctx, "ALICE", "RENAMED", "OTHER"), ErrAlreadyExists)
}
