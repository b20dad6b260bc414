package pat

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServiceUserSetup(t *testing.T) {
	e := newEmu(t)
	e.exec(
		`CREATE ROLE "BI_READER"`,
		"CREATE NETWORK POLICY BI_NET ALLOWED_IP_LIST = ('127.0.0.1/32')",
	)
	ctx := context.Background()
	u := ServiceUser{
		Name: "POWERBI_SVC", DefaultRole: "BI_READER", DefaultWarehouse: "BI_WH",
		Comment: "Power BI's scheduled refreshes", NetworkPolicy: "BI_NET",
	}
	require.NoError(t, e.client.CreateServiceUser(ctx, u))
	assert.ErrorIs(t, e.client.CreateServiceUser(ctx, u), ErrAlreadyExists)
	u.IfNotExists = true
	require.NoError(t, e.client.CreateServiceUser(ctx, u))
	require.NoError(t, e.client.GrantRole(ctx, "BI_READER", "POWERBI_SVC"))
	assert.ErrorIs(t, e.client.GrantRole(ctx, "NO_ROLE", "POWERBI_SVC"), ErrNotFound)
	assert.ErrorIs(t, e.client.GrantRole(ctx, "BI_READER", "NOBODY"), ErrNotFound)

	info, err := e.client.DescribeUser(ctx, "POWERBI_SVC")
	require.NoError(t, err)
	assert.Equal(t, "POWERBI_SVC", info.Name)
	assert.Equal(t, "SERVICE", info.Type)
	assert.True(t, info.IsService())
	assert.False(t, info.Disabled)
	assert.Equal(t, "BI_READER", info.DefaultRole)
	assert.Equal(t, "BI_WH", info.DefaultWarehouse)
	assert.Equal(t, "Power BI's scheduled refreshes", info.Comment)
	assert.Equal(t, "BI_NET", info.NetworkPolicy)
	assert.False(t, info.HasRSAPublicKey)

	// The user is ready for a role-restricted token.
	res, err := e.client.Add(ctx, "POWERBI_SVC", "BI", AddOptions{RoleRestriction: "BI_READER", RoleRestrictionRequired: info.IsService()})
	require.NoError(t, err)
	assert.False(t, res.Secret.IsZero())

	admin, err := e.client.DescribeUser(ctx, "SNOWPAT_ADMIN")
	require.NoError(t, err)
	assert.True(t, admin.HasRSAPublicKey)

	e.exec(`ALTER USER "POWERBI_SVC" SET DISABLED = TRUE`)
	info, err = e.client.DescribeUser(ctx, "POWERBI_SVC")
	require.NoError(t, err)
	assert.True(t, info.Disabled)

	_, err = e.client.DescribeUser(ctx, "NOBODY")
	assert.ErrorIs(t, err, ErrNotFound)
}
