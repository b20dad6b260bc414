package pat_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sort"
	"strings"
	"time"

	testingclock "k8s.io/utils/clock/testing"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
)

// The examples run against pattest, an in-process emulator of a Snowflake
// account that the real gosnowflake driver logs into. Its clock is fixed
// at exampleNow, so that expiry dates and days left are the same on every
// run; against Snowflake, use time.Now instead of srv.Clock().Now().
var exampleNow = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// exampleAccount starts an emulated account with an administrator Client
// and the service user POWERBI_SVC (role BI_READER, a network policy
// admitting this machine), set up as in ExampleClient_CreateServiceUser.
// stop closes the connection pool, then the emulator.
func exampleAccount() (srv *pattest.Server, c *pat.Client, stop func()) {
	srv = pattest.NewServer(pattest.WithClock(testingclock.NewFakeClock(exampleNow)))
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	stop = func() {
		_ = db.Close()
		srv.Close()
	}
	ctx := context.Background()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY BI_GATEWAY ALLOWED_IP_LIST = ('127.0.0.1/32')",
		"CREATE ROLE BI_READER",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			stop()
			log.Fatal(err)
		}
	}
	c = pat.NewClient(db)
	err := c.CreateServiceUser(ctx, pat.ServiceUser{Name: "POWERBI_SVC", DefaultRole: "BI_READER", NetworkPolicy: "BI_GATEWAY"})
	if err == nil {
		err = c.GrantRole(ctx, "BI_READER", "POWERBI_SVC")
	}
	if err != nil {
		stop()
		log.Fatal(err)
	}
	return srv, c, stop
}

// addToken gives POWERBI_SVC a token restricted to BI_READER, as a
// service user's token must be.
func addToken(c *pat.Client, name string, days int) pat.Secret {
	res, err := c.Add(context.Background(), "POWERBI_SVC", name, pat.AddOptions{
		RoleRestriction: "BI_READER", DaysToExpiry: days, RoleRestrictionRequired: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	return res.Secret
}

// A service user is what a BI tool should log in as: it cannot log in
// interactively, and its token is restricted to one role.
func ExampleClient_CreateServiceUser() {
	ctx := context.Background()
	srv := pattest.NewServer()
	defer srv.Close()
	// The administrator logs in by key pair: a session that logged in
	// with a token cannot manage tokens.
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer db.Close()
	c := pat.NewClient(db)

	// Snowflake gives a service user a token only under a network policy,
	// and by default only restricted to a role the user holds. The Client
	// leaves creating those to plain SQL.
	for _, stmt := range []string{
		"CREATE NETWORK POLICY BI_GATEWAY ALLOWED_IP_LIST = ('127.0.0.1/32')",
		"CREATE ROLE BI_READER",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			log.Fatal(err)
		}
	}
	err := c.CreateServiceUser(ctx, pat.ServiceUser{
		Name:          "POWERBI_SVC",
		DefaultRole:   "BI_READER",
		NetworkPolicy: "BI_GATEWAY",
		Comment:       "Power BI gateway",
		IfNotExists:   true,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.GrantRole(ctx, "BI_READER", "POWERBI_SVC"); err != nil {
		log.Fatal(err)
	}

	info, err := c.DescribeUser(ctx, "POWERBI_SVC")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name, info.Type, info.IsService())
	fmt.Println("default role:", info.DefaultRole)
	fmt.Println("network policy:", info.NetworkPolicy)
	// Output:
	// POWERBI_SVC SERVICE true
	// default role: BI_READER
	// network policy: BI_GATEWAY
}

func ExampleClient_Add() {
	ctx := context.Background()
	_, c, stop := exampleAccount()
	defer stop()

	res, err := c.Add(ctx, "POWERBI_SVC", "powerbi", pat.AddOptions{
		RoleRestriction:         "BI_READER",
		DaysToExpiry:            90,
		Comment:                 "Power BI gateway",
		RoleRestrictionRequired: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Store res.Secret now (res.Secret.Reveal() gives the text): Snowflake
	// never shows it again. Printing it shows a marker instead.
	fmt.Println(res.TokenName, res.Secret)

	tok, err := c.Get(ctx, "POWERBI_SVC", res.TokenName)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Status, tok.RoleRestriction, "expires", tok.ExpiresAt.UTC().Format(time.DateOnly))
	// Output:
	// POWERBI [REDACTED]
	// ACTIVE BI_READER expires 2025-06-01
}

// Checking expiry: list the tokens and compute what each has left.
func ExampleClient_List() {
	ctx := context.Background()
	srv, c, stop := exampleAccount()
	defer stop()

	addToken(c, "POWERBI", 90)
	addToken(c, "TABLEAU", 30)
	addToken(c, "OLD_ETL", 10)
	addToken(c, "LEGACY", 60)
	if err := c.Disable(ctx, "POWERBI_SVC", "LEGACY"); err != nil {
		log.Fatal(err)
	}
	srv.FakeClock().Step(20 * 24 * time.Hour) // twenty days later

	tokens, err := c.List(ctx, "POWERBI_SVC")
	if err != nil {
		log.Fatal(err)
	}
	sort.Slice(tokens, func(i, j int) bool { return tokens[i].Name < tokens[j].Name })
	now := srv.Clock().Now() // time.Now() against Snowflake
	for _, t := range tokens {
		left := t.ExpiresIn(now)
		action := "ok"
		switch {
		case t.Status != pat.StatusActive:
			action = "cannot log in"
		case left < 14*24*time.Hour:
			action = "rotate now"
		}
		fmt.Printf("%-7s %-8s %3d days left: %s\n", t.Name, t.Status, int(left.Hours()/24), action)
	}
	// Output:
	// LEGACY  DISABLED  40 days left: cannot log in
	// OLD_ETL EXPIRED  -10 days left: cannot log in
	// POWERBI ACTIVE    70 days left: ok
	// TABLEAU ACTIVE    10 days left: rotate now
}

func ExampleClient_Rotate() {
	ctx := context.Background()
	srv, c, stop := exampleAccount()
	defer stop()

	addToken(c, "POWERBI", 90)
	srv.FakeClock().Step(80 * 24 * time.Hour) // ten days before expiry

	// The old secret keeps working for two hours, time for every client
	// to pick up the new one from the secret store.
	res, err := c.Rotate(ctx, "POWERBI_SVC", "POWERBI", pat.RotateOptions{GraceHours: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new secret for", res.TokenName+":", res.Secret)
	// The old secret's token is named after the rotation's time in epoch
	// milliseconds; cut it off to print the pattern.
	name, _, _ := strings.Cut(res.RotatedTokenName, "_ROTATED_")
	fmt.Println("old secret now:", name+"_ROTATED_<millis>")

	tokens, err := c.List(ctx, "POWERBI_SVC")
	if err != nil {
		log.Fatal(err)
	}
	sort.Slice(tokens, func(i, j int) bool { return tokens[i].Name < tokens[j].Name })
	for _, t := range tokens {
		expires := t.ExpiresAt.UTC().Format("2006-01-02 15:04")
		if t.IsRotated() {
			fmt.Println("rotated to", t.RotatedTo+", expires", expires)
		} else {
			fmt.Println(t.Name, "expires", expires)
		}
	}
	// Output:
	// new secret for POWERBI: [REDACTED]
	// old secret now: POWERBI_ROTATED_<millis>
	// POWERBI expires 2025-08-20 09:00
	// rotated to POWERBI, expires 2025-05-22 11:00
}

// Revoking everything a user has, as after a compromise.
func ExampleClient_RemoveAll() {
	ctx := context.Background()
	srv, c, stop := exampleAccount()
	defer stop()

	secret := addToken(c, "POWERBI", 90)
	addToken(c, "TABLEAU", 30)
	// A rotation leaves the old secret alive for a day, as its own token.
	if _, err := c.Rotate(ctx, "POWERBI_SVC", "POWERBI", pat.RotateOptions{}); err != nil {
		log.Fatal(err)
	}

	removed, err := c.RemoveAll(ctx, "POWERBI_SVC")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range removed {
		if name, _, rotated := strings.Cut(t.Name, "_ROTATED_"); rotated {
			fmt.Println("removed", name+"_ROTATED_<millis>")
		} else {
			fmt.Println("removed", t.Name)
		}
	}
	// The old secret of POWERBI, still in its grace period, is dead too.
	err = pat.Verify(ctx, *srv.AdminConfig(), "POWERBI_SVC", secret)
	fmt.Println("old secret:", errors.Is(err, pat.ErrInvalidToken))
	// Output:
	// removed POWERBI_ROTATED_<millis>
	// removed TABLEAU
	// removed POWERBI
	// old secret: true
}

// A login with a bad token fails the same way whatever the reason;
// Diagnose finds the reason.
func ExampleDiagnose() {
	ctx := context.Background()
	srv, c, stop := exampleAccount()
	defer stop()
	// Any configuration of the account serves as base: Diagnose (through
	// Verify) replaces its credentials with the token.
	base := *srv.AdminConfig()

	secret := addToken(c, "POWERBI", 30)

	// Pasted into a BI tool with the line break that followed it.
	pasted := pat.NewSecret(secret.Reveal() + "\n")
	d, err := pat.Diagnose(ctx, c, base, "POWERBI_SVC", pasted)
	if err != nil {
		log.Fatal(err) // the diagnosis itself failed, e.g. c's connection
	}
	fmt.Println(d.Cause)
	fmt.Println(d.Hint)

	srv.FakeClock().Step(45 * 24 * time.Hour)
	d, err = pat.Diagnose(ctx, c, base, "POWERBI_SVC", secret)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d)
	fmt.Println(errors.Is(d.Err(), pat.ErrTokenExpired))
	// Output:
	// whitespace
	// the secret has surrounding whitespace (trailing line break), likely from a copy/paste: remove it where the secret is stored; without it the token works
	// expired: token POWERBI of user POWERBI_SVC expired 2025-04-02 09:00 UTC: create a new token and store its secret, and rotate before expiry from now on
	// true
}

func ExampleVerify() {
	ctx := context.Background()
	srv, c, stop := exampleAccount()
	defer stop()
	base := *srv.AdminConfig() // Verify replaces the credentials

	secret := addToken(c, "POWERBI", 30)
	fmt.Println("works:", pat.Verify(ctx, base, "POWERBI_SVC", secret) == nil)

	if err := c.Disable(ctx, "POWERBI_SVC", "POWERBI"); err != nil {
		log.Fatal(err)
	}
	err := pat.Verify(ctx, base, "POWERBI_SVC", secret)
	// Snowflake does not say why a token is refused; Diagnose does.
	fmt.Println("invalid token:", errors.Is(err, pat.ErrInvalidToken))
	fmt.Println("disabled:", errors.Is(err, pat.ErrTokenDisabled))
	// Output:
	// works: true
	// invalid token: true
	// disabled: false
}

func ExampleSecret() {
	s := pat.NewSecret("not-a-real-token-but-treated-as-one")

	fmt.Println(s)
	fmt.Printf("%v %s %q %x %#v\n", s, s, s, s, s)
	b, err := json.Marshal(struct {
		User  string
		Token pat.Secret
	}{"POWERBI_SVC", s})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	fmt.Println(pat.Secret{}) // never set: says so, which reveals nothing
	// Reveal is the one way to the text, for where it leaves for
	// Snowflake or a secret store.
	fmt.Println(len(s.Reveal()))
	// Output:
	// [REDACTED]
	// [REDACTED] [REDACTED] "[REDACTED]" [REDACTED] pat.Secret("[REDACTED]")
	// {"User":"POWERBI_SVC","Token":"[REDACTED]"}
	// [EMPTY]
	// 35
}
