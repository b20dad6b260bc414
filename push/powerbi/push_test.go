package powerbi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
)

// A cloud model and models behind gateways with 1024- and 2048-bit keys
// refresh with the pushed token; the gateways decrypted what the adapter
// encrypted.
func TestPushRefreshes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	secret := e.sf.AddToken(t)
	cloud := e.fake.AddCloudGateway()
	gw1024 := e.fake.AddGateway(powerbifake.Gateway{Name: "old-gw", KeyBits: 1024, Admins: []string{principal}})
	gw2048 := e.fake.AddGateway(powerbifake.Gateway{Name: "corp-gw", KeyBits: 2048, Admins: []string{principal}})
	models := map[string]string{"cloud": e.model("Cloud", cloud), "1024": e.model("Old", gw1024), "2048": e.model("Corp", gw2048)}

	require.Error(t, e.fake.Refresh(ctx), "no credentials yet")
	for name, id := range models {
		res, err := e.open(e.url(id)).Push(ctx, e.cred2(secret))
		require.NoError(t, err, name)
		require.Len(t, res.Connections, 1)
		src := e.fake.Datasources(id)[0]
		held := e.fake.Credentials(src.Gateway, src.ID)
		assert.Equal(t, secret.Reveal(), held.Password, name)
		assert.Equal(t, name != "cloud", held.Encrypted, name)
	}
	require.NoError(t, e.fake.Refresh(ctx))
}
