package pat

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// TestGrantedRoles lists a user's roles (issue 14's need (b)).
func TestGrantedRoles(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	e.exec(`CREATE ROLE "READER"`, `CREATE ROLE "writer"`, `GRANT ROLE "READER" TO USER "ALICE"`, `GRANT ROLE "writer" TO USER "ALICE"`)
	ctx := context.Background()

	roles, err := e.client.GrantedRoles(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, []string{"PUBLIC", "READER", "writer"}, roles)

	e.exec(`REVOKE ROLE "READER" FROM USER "ALICE"`)
	roles, err = e.client.GrantedRoles(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, []string{"PUBLIC", "writer"}, roles)

	_, err = e.client.GrantedRoles(ctx, "NOBODY")
	assert.ErrorIs(t, err, ErrNotFound)
}

// TestGrantedRolesColumnSets reads the columns from before Snowflake's
// 2025_01 bundle (role only) and after it (privilege, granted_on, name, …).
func TestGrantedRolesColumnSets(t *testing.T) {
	e := newEmu(t)
	e.personUser("ALICE")
	ctx := context.Background()
	ts := "1700000000.000000000"
	e.srv.Inject(pattest.Fault{Match: `^SHOW GRANTS`, Rows: &pattest.Rows{
		Columns: []string{"created_on", "role", "granted_to", "grantee_name", "granted_by"},
		Types:   []string{"timestamp_ltz", "text", "text", "text", "text"},
		Values:  [][]*string{{&ts, sp("OLD_STYLE"), sp("USER"), sp("ALICE"), sp("SECURITYADMIN")}},
	}})
	roles, err := e.client.GrantedRoles(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, []string{"OLD_STYLE", "PUBLIC"}, roles)

	e.srv.Inject(pattest.Fault{Match: `^SHOW GRANTS`, Rows: &pattest.Rows{
		Columns: []string{"created_on", "privilege", "granted_on", "name", "granted_to", "grantee_name", "grant_option", "granted_by"},
		Values: [][]*string{
			{&ts, sp("USAGE"), sp("ROLE"), sp("NEW_STYLE"), sp("USER"), sp("ALICE"), sp("false"), sp("SECURITYADMIN")},
			{&ts, sp("SELECT"), sp("TABLE"), sp("DB.S.T"), sp("USER"), sp("ALICE"), sp("false"), sp("SECURITYADMIN")},
		},
	}})
	roles, err = e.client.GrantedRoles(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, []string{"NEW_STYLE", "PUBLIC"}, roles, "object privileges are not roles")
}

func sp(s string) *string { return &s }
