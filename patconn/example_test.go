package patconn_test

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// What a service needs: open the store, make the connector for its user,
// open the database. Every new connection then logs in with the current
// token.
func ExampleNewConnector() {
	srv, cfg := exampleAccount() // an emulated account with a token stored in mem://example/svc
	defer srv.Close()
	ctx := context.Background()

	store, err := secrets.OpenStore(ctx, "mem://example/svc")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg.User = "SVC" // whom to log in as: a stored token of another user is refused
	conn, err := patconn.NewConnector(cfg, store, patconn.Options{TTL: time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	db := sql.OpenDB(conn) // db.Close closes conn, and conn's reader
	defer db.Close()

	var user string
	if err := db.QueryRow("SELECT CURRENT_USER()").Scan(&user); err != nil {
		fmt.Println(err)
	}
	fmt.Println("logged in as", user)
	// Output: logged in as SVC
}

// exampleAccount starts an emulator with a service user whose token is in
// mem://example/svc, and returns a gosnowflake configuration for the
// account without user or credentials.
func exampleAccount() (*pattest.Server, gosnowflake.Config) {
	srv := pattest.NewServer()
	admin := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer admin.Close()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE ROLE bi_reader",
		"CREATE USER svc TYPE = SERVICE NETWORK_POLICY = bi",
		"GRANT ROLE bi_reader TO USER svc",
	} {
		if _, err := admin.Exec(stmt); err != nil {
			panic(err)
		}
	}
	res, err := pat.NewClient(admin).Add(context.Background(), "SVC", "APP", pat.AddOptions{RoleRestriction: "BI_READER", RoleRestrictionRequired: true})
	if err != nil {
		panic(err)
	}
	value, _ := pat.EncodeStored(pat.StoredToken{Account: srv.Account(), User: "SVC", TokenName: "APP", Token: res.Secret}, pat.FormatJSON)
	if _, err := memstore.OpenStore("example/svc").Put(context.Background(), value, nil); err != nil {
		panic(err)
	}
	return srv, *srv.Config("", pattest.PAT(""))
}

// A Reader hands the current token to code that needs the token itself,
// e.g. to pass it to another client. Reads within the TTL come from memory;
// the store is asked again in the background before the TTL runs out.
func ExampleNewReader() {
	srv, _ := exampleAccount() // a token stored in mem://example/svc
	defer srv.Close()
	ctx := context.Background()

	store, err := secrets.OpenStore(ctx, "mem://example/svc")
	if err != nil {
		fmt.Println(err)
		return
	}
	reader, err := patconn.NewReader(store, patconn.Options{TTL: time.Minute, User: "SVC"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reader.Close()

	for range 3 {
		tok, err := reader.Get(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(tok.User, tok.TokenName, tok.Secret) // the secret prints redacted
	}
	fmt.Println("store reads:", reader.Reads())
	// Output:
	// SVC APP [REDACTED]
	// SVC APP [REDACTED]
	// SVC APP [REDACTED]
	// store reads: 1
}
