// Package pattest is an in-process Snowflake account for tests: the real
// gosnowflake driver logs into it over loopback HTTP and runs the
// statements that administer programmatic access tokens (PATs), with
// Snowflake's rules applied.
//
// In a test, start one the way you start an httptest.Server; it is closed,
// with its administrator's connection, when the test ends:
//
//	srv := pattest.Start(t)
//	admin := srv.Admin()                      // *sql.DB, logged in by key pair
//	svc := srv.NewServiceUser("powerbi_service") // a SERVICE user and a token
//
// Outside a test, NewServer returns one to Close yourself. Either keeps
// gosnowflake's log out of the output (failed logins are expected here);
// Start shows it with a failing test's log.
//
// # Logging in
//
// Server.Config returns a ready gosnowflake.Config for a user and an [Auth]:
// [Password], [PAT] (AUTHENTICATOR=PROGRAMMATIC_ACCESS_TOKEN with TOKEN),
// [PATAsPassword] (the token in the password field, as BI tools send it) and
// [KeyPair] (SNOWFLAKE_JWT, checked against the user's RSA_PUBLIC_KEY or
// RSA_PUBLIC_KEY_2). Every server starts with one administrator,
// [AdminUser], a TYPE=SERVICE user holding ACCOUNTADMIN that logs in by key
// pair through Server.AdminConfig — a rotator must not log in with a PAT,
// because a PAT-authenticated session cannot manage PATs.
//
// The server speaks the parts of Snowflake's REST protocol the official
// drivers use: login-request, query-request with JSON result sets
// (lower-case column types: text, fixed, timestamp_ltz), the 390112 session
// renewal through token-request, session delete, heartbeat and telemetry.
// Request bodies may be gzip-compressed, as the Python connector sends
// them. Login and query responses carry the session's parameters (TIMEZONE,
// the output formats, CLIENT_SESSION_KEEP_ALIVE, …) as a fresh session
// reports them, changed by the login's SESSION_PARAMETERS and by ALTER
// SESSION. A query-request repeating a requestId the session has already
// been answered for gets that answer again and does not run twice, so a
// driver's retry after a 5xx is safe. Failures
// are shaped as Snowflake's (code, sqlState, message, queryId) and arrive at
// the caller as *gosnowflake.SnowflakeError. Login failures carry
// Snowflake's codes: 394400 for any unusable PAT (bad, expired, disabled,
// removed, blocked or another user's: Snowflake does not tell them apart),
// 390100 for a bad password, 390101 for a disabled user, 390144 for a bad
// key-pair JWT, 390432 when a network policy is required and missing,
// 390422 when the client's address is not allowed.
//
// # SQL
//
// Keywords are case-insensitive, unquoted identifiers fold to upper case,
// quoted identifiers keep their case ("" for a quote), and string literals
// take backslash escapes and doubled quotes. The dialect covers:
//
//   - CREATE USER [IF NOT EXISTS] with TYPE, DEFAULT_ROLE,
//     DEFAULT_WAREHOUSE, COMMENT, RSA_PUBLIC_KEY(_2), NETWORK_POLICY,
//     DISABLED and PASSWORD (not for TYPE=SERVICE); ALTER USER SET/UNSET;
//     DROP USER [IF EXISTS]; DESCRIBE USER; SHOW USERS [LIKE];
//   - CREATE/DROP ROLE, GRANT/REVOKE ROLE … TO/FROM USER, USE ROLE, and
//     GRANT OWNERSHIP | MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER;
//   - CREATE/ALTER/DROP NETWORK POLICY with ALLOWED_IP_LIST and
//     BLOCKED_IP_LIST; ALTER USER SET NETWORK_POLICY; ALTER ACCOUNT SET
//     NETWORK_POLICY;
//   - CREATE/ALTER/DROP/DESCRIBE AUTHENTICATION POLICY with
//     AUTHENTICATION_METHODS and PAT_POLICY (DEFAULT_EXPIRY_IN_DAYS,
//     MAX_EXPIRY_IN_DAYS, NETWORK_POLICY_EVALUATION,
//     REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS,
//     REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS, BLOCKED_ROLES_LIST), set on
//     the account or a user; SHOW AUTHENTICATION POLICIES [ON ACCOUNT | ON
//     USER u]; SHOW GRANTS TO USER u; ALTER SESSION SET/UNSET;
//   - ALTER USER [IF EXISTS] [user] ADD | ROTATE [IF EXISTS] | MODIFY …
//     SET/UNSET/RENAME TO | REMOVE [IF EXISTS] PROGRAMMATIC ACCESS TOKEN (or
//     PAT), SHOW USER PROGRAMMATIC ACCESS TOKENS (or PATS) [FOR USER u], and
//     SELECT SYSTEM$DECODE_PAT;
//   - SELECT 1, CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT().
//
// Anything else is a compilation error (001003), never a silent success.
//
// # PAT rules
//
// Token names are upper-cased; a user has at most 15 tokens (disabled and
// rotated-out tokens count, expired ones do not); DAYS_TO_EXPIRY defaults
// to 15 and is at most 365, or what the authentication policy says; a
// SERVICE or LEGACY_SERVICE user's token needs a ROLE_RESTRICTION naming a
// role the user holds (PUBLIC is held by everyone), and so does a PERSON
// user's when the policy says so; a role in BLOCKED_ROLES_LIST cannot be
// used and invalidates the tokens restricted to it; SERVICE and
// LEGACY_SERVICE users need a network policy to be given a token at all,
// unless the policy relaxes either rule. A PAT-authenticated session may
// not add, modify or remove tokens, nor rotate its own user's. A missing
// token is "Programmatic access token NAME not found". The
// secret is returned only by ADD and ROTATE. ROTATE keeps the name and
// the lifetime length and leaves the old secret as <NAME>_ROTATED_<millis>
// with rotated_to set, expiring after EXPIRE_ROTATED_TOKEN_AFTER_HOURS
// (24 by default, 0 for at once, never beyond what it had left). Disabling
// a user disables its tokens, which stay disabled when the user is
// re-enabled. A role-restricted token's session has that role only, and the
// token stops working if the role is revoked or dropped. Expired tokens
// stay listed for 30 days.
//
// # Fidelity
//
// FIDELITY.md beside this file lists every rule, message and protocol habit
// the emulator reproduces, its source (a documentation page, a driver's
// recorded fixture, the Terraform provider's live tests), whether it is
// confirmed or assumed, and the test that covers it. The emulator answers
// only with codes Snowflake uses; where Snowflake's number or text for a
// refusal is unknown it uses the generic code of that class and says so
// there, so a client must not rely on those texts.
//
// # Test controls
//
//   - Time: the server keeps time by a k8s.io/utils/clock PassiveClock,
//     by default its own FakeClock ([Server.FakeClock]); step it to expire
//     tokens and sessions, or share one FakeClock with the code under test
//     through [WithClock], so that nothing waits on real time.
//   - Faults: Server.Inject fails the next statements matching a pattern
//     with a chosen [Error], or runs them and loses the response, as when
//     Snowflake rotated a token and the client never heard back
//     (Fault.LoseStatus 5xx lets the driver retry and get the first answer).
//   - Latency: Server.SetLatency delays every request.
//   - Counters: Server.Counts counts requests by kind and statements by
//     kind, so benchmarks can state round trips.
//
// The server is safe for concurrent sessions: each statement runs
// atomically under one lock.
//
// pattest shares no code with package pat's SQL builder, quoting or
// parsers on purpose: it is an independent oracle, so a bug in one shows up
// as a failure instead of being mirrored.
package pattest
