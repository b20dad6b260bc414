package k8ssecret

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/secrets"
)

// The URL opener finds the cluster as kubectl does: $KUBECONFIG, its
// current context or the one the URL names.
func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	blue, green := k8sfake.New(), k8sfake.New()
	lb, lg := blue.Link(), green.Link()
	t.Cleanup(lb.Close)
	t.Cleanup(lg.Close)
	path, err := k8sfake.WriteKubeconfig(t.TempDir(), map[string]*k8sfake.Link{"blue": lb, "green": lg}, "blue")
	require.NoError(t, err)
	t.Setenv("KUBECONFIG", path)

	s, err := secrets.OpenStore(ctx, "k8s://snowpat/powerbi-pat")
	require.NoError(t, err)
	_, err = s.Put(ctx, []byte("pat-blue"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.NotNil(t, blue.Object("", "secrets", "snowpat", "powerbi-pat"), "the current context's cluster")
	assert.Nil(t, green.Object("", "secrets", "snowpat", "powerbi-pat"))

	s, err = secrets.OpenStore(ctx, "k8s://snowpat/powerbi-pat?context=green")
	require.NoError(t, err)
	_, err = s.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "the green cluster has no such Secret")
	require.NoError(t, s.Close())

	_, err = secrets.OpenStore(ctx, "k8s://snowpat/powerbi-pat?context=purple")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument, "an unknown context")
}

func TestOpenURLRefusals(t *testing.T) {
	t.Setenv("KUBECONFIG", "/nonexistent/kubeconfig")
	for _, u := range []string{
		"k8s://snowpat/powerbi-pat?contxt=a", // typo
		"k8s://snowpat/",
		"k8s://snowpat",
		"k8s:///powerbi-pat",
		"k8s://snowpat/a/b",
		"k8s://Snowpat/powerbi-pat",
		"k8s://snowpat/Powerbi_PAT",
		"k8s://user@snowpat/powerbi-pat",
		"k8s://snowpat:443/powerbi-pat",
		"k8s://snowpat/powerbi-pat#frag",
		"k8s:snowpat/powerbi-pat",
	} {
		_, err := secrets.OpenStore(context.Background(), u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
}

func TestNewRefusals(t *testing.T) {
	f := newFixture(t, nil)
	for _, c := range [][2]string{{"", "x"}, {"ns", ""}, {"a.b", "x"}, {"ns", "UPPER"}, {"ns", "-x"}} {
		_, err := New(f.client, c[0], c[1])
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, "%q", c)
	}
	_, err := New(nil, "ns", "x")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
}
