package gcpsm

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenURL(t *testing.T) {
	srv := gcpfake.New()
	t.Cleanup(srv.Close)
	addr, err := srv.ListenTCP()
	require.NoError(t, err)
	ctx := context.Background()

	s, err := secrets.OpenStore(ctx, "gcpsm://projects/test/secrets/powerbi?emulator_host="+addr)
	require.NoError(t, err)
	id, err := s.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = secrets.OpenStore(ctx, "gcpsm://projects/test/secrets/powerbi?destroy_retired=true&emulator_host="+addr)
	require.NoError(t, err)
	cur, err := s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	require.NoError(t, s.Close())
}

func TestOpenURLRefusals(t *testing.T) {
	for _, u := range []string{
		"gcpsm://projects/p/secrets/s?emulator_hots=x", // typo
		"gcpsm://projects/p/secrets/s?destroy_retired=yes",
		"gcpsm://projects/p/secrets/a.b",
		"gcpsm://projects/p/secrets/",
		"gcpsm://projects/p/secrets/s/versions/1",
		"gcpsm://projects/p",
		"gcpsm://p/secrets/s",
		"gcpsm://user@projects/p/secrets/s",
		"gcpsm://projects:443/p/secrets/s",
		"gcpsm://projects/p/secrets/s#frag",
		"gcpsm:projects/p/secrets/s",
	} {
		_, err := secrets.OpenStore(context.Background(), u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
}
