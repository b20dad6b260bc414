package pattest_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDialect(t *testing.T) {
	e := newEnv(t)
	t.Run("keywords are case-insensitive and unquoted names fold to upper case", func(t *testing.T) {
		e.exec("create user MixedCase password = 'pw'")
		require.Equal(t, "MIXEDCASE", describe(t, e.admin, "mixedcase")["NAME"])
	})
	t.Run("quoted identifiers keep case and doubled quotes", func(t *testing.T) {
		e.exec(`CREATE USER "we""ird Name" PASSWORD = 'pw'`)
		require.Equal(t, `we"ird Name`, describe(t, e.admin, `"we""ird Name"`)["NAME"])
		_, err := e.admin.Query(`DESCRIBE USER "WE""IRD NAME"`)
		requireCode(t, err, 2003)
	})
	t.Run("string literals accept backslash escapes and doubled quotes", func(t *testing.T) {
		e.exec(`CREATE USER lit PASSWORD = 'pw' COMMENT = 'a''b\'c\\d\ne'`)
		require.Equal(t, "a'b'c\\d\ne", describe(t, e.admin, "lit")["COMMENT"])
	})
	t.Run("comments and a trailing semicolon", func(t *testing.T) {
		require.Equal(t, "1", queryString(t, e.admin, "-- hello\nSELECT /* there */ 1;"))
	})
	t.Run("select functions", func(t *testing.T) {
		var u, r, a, one string
		require.NoError(t, e.admin.QueryRow("select current_user(), CURRENT_ROLE(), Current_Account(), 1").Scan(&u, &r, &a, &one))
		require.Equal(t, []string{"SNOWPAT_ADMIN", "ACCOUNTADMIN", "SNOWPAT_TEST", "1"}, []string{u, r, a, one})
	})
	t.Run("anything else is a compilation error, never a silent success", func(t *testing.T) {
		for _, stmt := range []string{
			"SELECT * FROM t",
			"INSERT INTO t VALUES (1)",
			"SELECT SYSTEM$GENERATE_PROGRAMMATIC_ACCESS_TOKEN('u', 90)",
			"ALTER USER u SET PROGRAMMATIC_ACCESS_TOKEN = TRUE",
			"ALTER USER u RENAME PAT a TO b",
			"ALTER USER u ADD PAT",
			"ALTER USER u ADD PAT t DAYS_TO_EXPIRY =",
			"ALTER USER u MODIFY PAT t",
			"SHOW USER TOKENS",
			"CREATE USER 'quoted_as_string'",
			"CREATE USER u COMMENT = 'unterminated",
			`CREATE USER "unterminated`,
			`CREATE USER ""`,
			"SELECT 1 SELECT 2",
			"DROP TABLE t",
			"GRANT SELECT ON TABLE t TO ROLE r",
			"",
		} {
			_, err := e.admin.Exec(stmt)
			requireCode(t, err, 1003)
		}
	})
	t.Run("unknown user properties are rejected", func(t *testing.T) {
		_, err := e.admin.Exec("CREATE USER u2 FAVOURITE_COLOUR = 'blue'")
		requireCode(t, err, 1003)
		_, err = e.admin.Query("DESCRIBE USER u2")
		requireCode(t, err, 2003)
	})
}

func describe(t *testing.T, db *sql.DB, user string) map[string]string {
	t.Helper()
	rows, err := db.Query("DESCRIBE USER " + user)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var p, v, d, desc sql.NullString
		require.NoError(t, rows.Scan(&p, &v, &d, &desc))
		out[p.String] = v.String
	}
	require.NoError(t, rows.Err())
	return out
}
