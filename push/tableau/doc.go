// Package tableau pushes a Snowflake credential into Tableau Server and
// Tableau Cloud: the Snowflake connections of a published data source or
// a workbook, through the Tableau REST API.
//
// # URLs
//
//	tableau://<server>[:port]/<site>/datasources/<name or id>
//	tableau://<server>[:port]/<site>/workbooks/<name or id>
//
// <site> is the site's contentUrl (as in …/#/site/<contentUrl>/…), or the
// literal "default" for the default site, whose contentUrl is empty. The
// content is named by its name (each path segment is unescaped on its
// own, so a name may hold "%2F") or by its id (a LUID). A name that looks
// like a LUID is tried as an id first. Names are unique per project, not
// per site: a name that matches two data sources is ErrInvalidArgument,
// listing their ids. For Tableau Cloud, use the pod's host
// (prod-useast-a.online.tableau.com): redirects are reported, never
// followed.
//
// Query parameters: credentials (ParamCredentials) and insecure
// (ParamInsecure). Requests go to https://<server>; insecure=true sends
// them over plain http, which is allowed to loopback hosts and, with a
// warning logged, anywhere else.
//
// # Credentials for the REST API
//
// A personal access token, or a connected app with direct trust, read at
// each sign-in so that a rotated Tableau token is picked up:
//
//   - From a secret store: credentials=<url-escaped secret store URL>,
//     whose current value is JSON with Tableau's field names,
//     {"personalAccessTokenName":…,"personalAccessTokenSecret":…} or
//     {"clientId":…,"secretId":…,"secretValue":…,"username":…}.
//   - Otherwise from the environment: TABLEAU_PAT_NAME and
//     TABLEAU_PAT_SECRET, or TABLEAU_CLIENT_ID, TABLEAU_SECRET_ID,
//     TABLEAU_SECRET_VALUE and TABLEAU_USERNAME.
//
// Giving both kinds, or half of one, is ErrInvalidArgument. A connected
// app signs in with a JWT made as Tableau documents it: HS256 with the
// secret value; kid the secret id and iss the client id in the header;
// iss, sub (the user), aud "tableau", exp five minutes ahead, a fresh jti
// and scp (Scopes) in the claims.
//
// # What a push does
//
//  1. GET /api/2.4/serverinfo: the newest REST API version the server
//     speaks, once per destination (as Tableau Server Client does). A
//     personal access token needs 3.6 (Server 2019.4), a connected app
//     3.17 (Server 2022.3); older is ErrUnsupported.
//  2. POST /api/<v>/auth/signin with the site's contentUrl; the session
//     token goes in X-Tableau-Auth.
//  3. The content: GET …/datasources/<id> (or workbooks) for an id; for a
//     name, GET …/datasources?filter=name:eq:<name>, paged (100 a page),
//     keeping exact matches. A name with a comma cannot be filtered on
//     (commas separate filter expressions), so every page is read.
//  4. GET …/<id>/connections. Connections of type "snowflake" take the
//     credential, unless their authenticationType names OAuth, a key
//     pair or SSO: those are left alone. A workbook's "sqlproxy"
//     connections go through a published data source: push to that.
//  5. The checks of package push; then PUT …/<id>/connections/<conn> with
//     userName, password and embedPassword="true", for each.
//  6. POST /api/<v>/auth/signout, whatever happened.
//
// A 401002 (the session ended on the server) signs in again and repeats
// the call, once. 429 and 5xx answers, and lost connections of calls that
// are safe to repeat, are retried with capped exponential backoff and
// full jitter, honouring Retry-After (push.Retry).
//
// Test is Update Data Source Now (or Update Workbook Now), which starts an
// extract refresh that logs in with the embedded credentials, then Query
// Job until the job finishes (finish code 0 success, 1 failure, 2
// cancelled). The REST API has no connection test for live connections:
// a data source without an extract (hasExtracts false) is ErrUnsupported,
// and so is a workbook whose refresh is refused with 400.
//
// # Permissions
//
// The user the token or connected app signs in as needs:
//
//	call                                   needs
//	serverinfo                             nothing
//	sign in                                personal access tokens enabled on the site, or the
//	                                       connected app enabled with the scopes below
//	Query Data Source(s), Query Workbook   read (view) permission on the content
//	(s), Query … Connections               (scope tableau:content:read)
//	Update Data Source Connection          the content's owner, its project leader, or a site
//	Update Workbook Connection             administrator (scopes tableau:datasources:update,
//	                                       tableau:workbooks:update)
//	Update Data Source/Workbook Now        the same, plus extract refresh allowed on the site
//	(Test only)                            (scope tableau:tasks:run)
//	Query Job (Test only)                  the job's creator or a site administrator
//	                                       (scope tableau:jobs:read)
//
// A dedicated user with the Site Administrator Explorer role, owning no
// content, is the simplest choice. The scope names for refreshing and
// reading jobs follow Tableau's "Access Scopes for Connected Apps"; check
// them against your server's version.
//
// # As
//
// Destination.As supports **http.Client (the client requests go
// through); Destination.ErrorAs reaches *APIError, which carries the
// REST method, the HTTP status and Tableau's error code.
package tableau
