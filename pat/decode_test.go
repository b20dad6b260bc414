package pat

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeAgainstEmulator(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	res, err := e.client.Add(ctx, "ALICE", "T", AddOptions{})
	require.NoError(t, err)

	d, err := e.client.Decode(ctx, res.Secret)
	require.NoError(t, err)
	assert.Equal(t, DecodedToken{State: "ACTIVE", TokenName: "T", UserName: "ALICE"}, d)

	require.NoError(t, e.client.Disable(ctx, "ALICE", "T"))
	d, err = e.client.Decode(ctx, res.Secret)
	require.NoError(t, err)
	assert.Equal(t, "DISABLED", d.State)

	bad := NewSecret(res.Secret.Reveal() + "x")
	_, err = e.client.Decode(ctx, bad)
	require.ErrorIs(t, err, ErrInvalidToken)
	assert.NotContains(t, err.Error(), res.Secret.Reveal()[:16])
}
