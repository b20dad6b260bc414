// Package tableaufake is an in-process Tableau Server / Tableau Cloud REST
// API for tests: the push/tableau adapter's real HTTP client talks to it
// over TLS on loopback, so the adapter is tested through its own request
// building, XML decoding, paging, session handling and retries.
//
// # Overview
//
// New starts a Server. Tests add sites, users with personal access tokens
// or connected apps, and published data sources and workbooks with their
// connections; the adapter then signs in and updates connections as it
// would on a real server. Each connection keeps the user name and password
// it was last sent (the REST API never returns a password; Connection
// does, for tests). Refresh logs in to Snowflake with what each
// connection holds, through the LoginFunc the test provides (wired to
// pat.Verify against the pattest emulator), as a scheduled extract
// refresh or a live query would: a dashboard refreshes before a push,
// after it, and fails once its token is dead.
//
// The fake is written from Tableau's REST API reference and the test
// assets of Tableau Server Client (tableau/server-client-python), not from
// the adapter, so that it catches the adapter's wrong assumptions rather
// than sharing them.
//
// # What it reproduces
//
//   - URL shapes /api/<version>/…, XML bodies in the namespace
//     http://tableau.com/api, and errors as <error code="…"><summary/>
//     <detail/></error> with Tableau's numeric codes: 401001 (sign-in
//     failed), 401002 (missing, expired or signed-out session token),
//     403xxx (not allowed), 404000 (site), 404003 (unknown resource or
//     API version), 404005/404006/404011-ish codes for missing content
//     (see errors.go), 400006 (page number out of range).
//   - GET /api/<v>/serverinfo (no session needed) with productVersion and
//     restApiVersion; a request for a version newer than the server's is
//     404003.
//   - Sign-in with a personal access token (API 3.6 and later) or a
//     connected-app JWT (3.17 and later; HS256 with the secret id as kid,
//     iss the client id, aud "tableau", sub the user, exp at most ten
//     minutes ahead, a jti never seen before, scp the scopes); the site is
//     chosen by contentUrl ("" is the default site). The answer carries
//     the session token, sent back in X-Tableau-Auth, the site id and the
//     user id. Sign-out ends the session.
//   - Query Data Sources / Query Workbooks for Site in pages (pageSize up
//     to 1000, pagination element with totalAvailable) with
//     filter=name:eq:<name>; query by id; list connections; Update Data
//     Source Connection / Update Workbook Connection (userName, password,
//     embedPassword, serverAddress, serverPort), answering with the
//     connection without its password.
//   - Update Data Source Now / Update Workbook Now, which start a job;
//     Query Job reports it in progress (for as many reads as SetJobPolls
//     says) and then finished, finishCode 0 or 1 with the login error in
//     its notes. Content without an extract cannot be refreshed (400).
//
// # Assumptions
//
// Where the reference does not say what the server does, the fake takes
// the conservative choice and says so at the place in the code: a session
// used against another site's URL is 401002; a 429 carries an XML error
// body and Retry-After; content the user may not see is 404, as if it did
// not exist; only owners and site administrators may update connections
// (403004); only the connected-app scopes for reading content
// (tableau:content:read) and updating data sources and workbooks
// (tableau:datasources:update, tableau:workbooks:update) are enforced.
//
// # Faults
//
// FailNext makes the next call of an operation answer with an error (any
// status, with Retry-After for 429); DropNext applies the call and closes
// the connection without an answer (a lost response); FailAfterNext
// applies it and then answers with an error. Hold parks a call until the
// test releases it. Calls counts calls per operation.
package tableaufake
