package pattest_test

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/pat/pattest"
)

// Start the emulator in a test the way you start an httptest.Server, set
// up a service user as an administrator, and log in with its token.
func ExampleNewServer() {
	srv := pattest.NewServer()
	defer srv.Close()

	// The bootstrap administrator logs in with a key pair, as a rotator should.
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer admin.Close()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE bi_reader",
		"CREATE USER powerbi_service TYPE = SERVICE DEFAULT_ROLE = bi_reader NETWORK_POLICY = bi",
		"GRANT ROLE bi_reader TO USER powerbi_service",
	} {
		if _, err := admin.Exec(stmt); err != nil {
			panic(err)
		}
	}
	var name, secret string
	err := admin.QueryRow("ALTER USER powerbi_service ADD PAT powerbi ROLE_RESTRICTION = 'BI_READER'").Scan(&name, &secret)
	if err != nil {
		panic(err)
	}

	// Log in with the token exactly as a service would.
	svc := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{},
		*srv.Config("powerbi_service", pattest.PAT(secret))))
	defer svc.Close()
	var user, role string
	if err := svc.QueryRow("SELECT CURRENT_USER(), CURRENT_ROLE()").Scan(&user, &role); err != nil {
		panic(err)
	}
	fmt.Println(user, role)

	// Age the token past its default 15 days: Snowflake's 394400 follows.
	srv.FakeClock().Step(16 * 24 * time.Hour)
	fresh := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{},
		*srv.Config("powerbi_service", pattest.PAT(secret))))
	defer fresh.Close()
	fmt.Println(fresh.Ping())
	// Output:
	// POWERBI_SERVICE BI_READER
	// 394400 (08004): Programmatic access token is invalid.
}

// Faults for the paths Snowflake rarely takes: a statement that fails with
// a chosen error, and one that runs but whose answer never arrives, so the
// client cannot know the token was rotated. Counts tell how many round
// trips it all took.
func ExampleServer_Inject() {
	srv := pattest.NewServer()
	defer srv.Close()
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer admin.Close()
	if _, err := admin.Exec("CREATE USER alice TYPE = PERSON"); err != nil {
		panic(err)
	}
	var name, secret string
	if err := admin.QueryRow("ALTER USER alice ADD PAT laptop").Scan(&name, &secret); err != nil {
		panic(err)
	}
	srv.ResetCounts()

	srv.Inject(pattest.Fault{Match: `^ALTER USER .* ROTATE`, Err: &pattest.Error{Code: "000625", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}})
	_, err := admin.Exec("ALTER USER alice ROTATE PAT laptop")
	fmt.Println(err)

	srv.Inject(pattest.Fault{Match: `^ALTER USER .* ROTATE`, LoseResponse: true})
	_, err = admin.Exec("ALTER USER alice ROTATE PAT laptop")
	fmt.Println("lost response:", err != nil)

	// The rotation happened all the same: the old token is now _ROTATED_.
	var n int
	rows, _ := admin.Query("SHOW USER PATS FOR USER alice")
	for rows.Next() {
		n++
	}
	rows.Close()
	fmt.Println("tokens:", n)
	fmt.Println("statements:", srv.Counts().Statements) // a failed statement never ran
	// Output:
	// 000625 (57014): Statement reached its statement or warehouse timeout.
	// lost response: true
	// tokens: 2
	// statements: map[ROTATE PAT:1 SHOW PATS:1]
}
