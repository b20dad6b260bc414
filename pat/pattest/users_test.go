package pattest_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

func TestUsers(t *testing.T) {
	e := newEnv(t)
	key := newKey(t)
	e.exec(
		"CREATE ROLE bi_reader",
		"CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1')",
		"CREATE USER powerbi_service TYPE = SERVICE DEFAULT_ROLE = BI_READER DEFAULT_WAREHOUSE = BI_WH "+
			"COMMENT = 'Power BI' NETWORK_POLICY = lo RSA_PUBLIC_KEY = '"+pattest.PublicKeyBody(&key.PublicKey)+"'",
		"GRANT ROLE bi_reader TO USER powerbi_service",
	)
	d := describe(t, e.admin, "powerbi_service")
	require.Equal(t, "SERVICE", d["TYPE"])
	require.Equal(t, "BI_READER", d["DEFAULT_ROLE"])
	require.Equal(t, "BI_WH", d["DEFAULT_WAREHOUSE"])
	require.Equal(t, "Power BI", d["COMMENT"])
	require.Equal(t, "LO", d["NETWORK_POLICY"])
	require.Equal(t, "false", d["DISABLED"])
	require.Equal(t, "true", d["HAS_RSA_PUBLIC_KEY"])
	require.Contains(t, d["RSA_PUBLIC_KEY_FP"], "SHA256:")

	t.Run("if not exists and duplicates", func(t *testing.T) {
		e.exec("CREATE USER IF NOT EXISTS powerbi_service")
		_, err := e.admin.Exec("CREATE USER powerbi_service")
		requireCode(t, err, 2002)
		_, err = e.admin.Exec("CREATE ROLE bi_reader")
		requireCode(t, err, 2002)
		e.exec("CREATE ROLE IF NOT EXISTS bi_reader")
	})
	t.Run("set and unset", func(t *testing.T) {
		e.exec("ALTER USER powerbi_service SET COMMENT = 'changed' DEFAULT_WAREHOUSE = OTHER_WH",
			"ALTER USER powerbi_service UNSET NETWORK_POLICY")
		d := describe(t, e.admin, "powerbi_service")
		require.Equal(t, "changed", d["COMMENT"])
		require.Equal(t, "OTHER_WH", d["DEFAULT_WAREHOUSE"])
		require.Equal(t, "null", d["NETWORK_POLICY"])
		_, err := e.admin.Exec("ALTER USER powerbi_service SET NETWORK_POLICY = missing")
		requireCode(t, err, 2003, "Network policy 'MISSING'")
		_, err = e.admin.Exec("ALTER USER powerbi_service SET TYPE = ROBOT")
		requireCode(t, err, 1008)
		_, err = e.admin.Exec("ALTER USER powerbi_service SET RSA_PUBLIC_KEY = 'not a key'")
		requireCode(t, err, 1008)
		_, err = e.admin.Exec("ALTER USER powerbi_service SET PASSWORD = 'x'")
		requireCode(t, err, 1008, "SERVICE")
		_, err = e.admin.Exec("ALTER USER ghost SET COMMENT = 'x'")
		requireCode(t, err, 2003)
		e.exec("ALTER USER IF EXISTS ghost SET COMMENT = 'x'")
	})
	t.Run("show users like", func(t *testing.T) {
		e.exec("CREATE USER tableau_service TYPE = SERVICE")
		rows, err := e.admin.Query("SHOW USERS LIKE '%_service'")
		require.NoError(t, err)
		var names []string
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			names = append(names, vals[0].String)
		}
		require.NoError(t, rows.Close())
		require.Equal(t, []string{"POWERBI_SERVICE", "TABLEAU_SERVICE"}, names)
	})
	t.Run("drop removes the user and its tokens", func(t *testing.T) {
		e.exec("CREATE USER temp PASSWORD = 'pw'")
		secret := addPAT(t, e.admin, "ALTER USER temp ADD PAT t")
		e.exec("DROP USER temp")
		_, err := e.admin.Query("DESCRIBE USER temp")
		requireCode(t, err, 2003)
		require.Equal(t, "REMOVED", decode(t, e, secret)["STATE"])
		_, err = e.admin.Exec("DROP USER temp")
		requireCode(t, err, 2003)
		e.exec("DROP USER IF EXISTS temp")
	})
	t.Run("grant and revoke need existing objects", func(t *testing.T) {
		_, err := e.admin.Exec("GRANT ROLE nope TO USER powerbi_service")
		requireCode(t, err, 2003, "Role 'NOPE'")
		_, err = e.admin.Exec("GRANT ROLE bi_reader TO USER nobody")
		requireCode(t, err, 2003, "User 'NOBODY'")
	})
	t.Run("network policy lists are validated", func(t *testing.T) {
		_, err := e.admin.Exec("CREATE NETWORK POLICY bad ALLOWED_IP_LIST = ('300.1.1.1')")
		requireCode(t, err, 1008)
		_, err = e.admin.Exec("DROP NETWORK POLICY lo")
		require.NoError(t, err)
		_, err = e.admin.Exec("DROP NETWORK POLICY lo")
		requireCode(t, err, 2003)
	})
}
