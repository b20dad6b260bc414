package awssm

import (
	"context"
	"net/url"
	"testing"

	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offlineCredentials points the SDK's default chain at static environment
// credentials and away from every file and metadata endpoint, so that
// opening a URL never leaves the machine.
func offlineCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFAKEFAKEFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-key")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestOpenURL(t *testing.T) {
	offlineCredentials(t)
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	ctx := context.Background()
	endpoint := url.QueryEscape(srv.URL())

	s, err := secrets.OpenStore(ctx, "awssm://team/app/powerbi?region=us-east-1&endpoint="+endpoint+"&force_delete=true")
	require.NoError(t, err)
	id, err := s.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// The same secret by the triple-slash form, which carries names a host
	// cannot, percent-escapes decoded.
	s, err = secrets.OpenStore(ctx, "awssm:///team%2Fapp/powerbi?region=us-east-1&endpoint="+endpoint)
	require.NoError(t, err)
	cur, err := s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	require.NoError(t, s.Close())

	s, err = secrets.OpenStore(ctx, "awssm:///a+b=c@d?region=us-east-1&endpoint="+endpoint)
	require.NoError(t, err)
	_, err = s.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestOpenURLRefusals(t *testing.T) {
	offlineCredentials(t)
	for _, u := range []string{
		"awssm://x", // no region anywhere
		"awssm://x?region=us-east-1&regoin=eu-west-1", // typo
		"awssm://user@x?region=us-east-1",
		"awssm://x:443?region=us-east-1",
		"awssm://x?region=us-east-1#frag",
		"awssm://?region=us-east-1",
		"awssm:x?region=us-east-1",
		"awssm://arn:aws:secretsmanager?region=us-east-1",
		"awssm://x?region=us-east-1&force_delete=yes",
		"awssm://x?region=us-east-1&recovery_window_days=3",
		"awssm://x?region=us-east-1&recovery_window_days=seven",
		"awssm://x?region=us-east-1&recovery_window_days=7&force_delete=true",
		"awssm:///has%20space?region=us-east-1",
	} {
		_, err := secrets.OpenStore(context.Background(), u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
	}
}
