package memstore

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets"
)

func TestOpenDriverSharesOpenStore(t *testing.T) {
	ctx := t.Context()
	name := t.Name()
	s := secrets.NewStore(OpenDriver(name))
	id, err := s.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	v, err := OpenStore(name).Current(ctx)
	require.NoError(t, err)
	require.Equal(t, id, v.ID)
	_, err = secrets.NewStore(NewDriver()).Current(ctx)
	require.ErrorIs(t, err, secrets.ErrNotFound)
}
