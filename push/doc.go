// Package push writes a Snowflake credential into the BI tools that log in
// with it: the last step of a rotation, "update the tools", for the
// service users that Tableau and Power BI dashboards refresh as.
//
// # Overview
//
// A [Destination] addresses one piece of BI content, as one URL names one:
//
//	d, err := push.Open(ctx, "tableau://tableau.example.com/finance/datasources/Sales", nil)
//	res, err := d.Push(ctx, push.Credential{Account: "myorg-acct", User: "BI_SVC", Secret: secret})
//
// Push updates every Snowflake connection of the content (a Tableau
// published data source or workbook; every Snowflake data source of a
// Power BI semantic model, in the cloud or behind an on-premises gateway)
// with the user name and the token secret as password, password embedded,
// so that scheduled refreshes keep working after the rotation. Pushing the
// same credential twice changes nothing harmful: a failed or interrupted
// push is retried by pushing again.
//
// Before changing anything, Push refuses content with no Snowflake
// connection that takes a user name and password
// ([ErrNoSnowflakeConnection]) and content with a Snowflake connection to
// another account ([ErrWrongAccount]; [MatchAccount] is the rule), so a
// secret never goes where it does not belong. [Destination.Inspect] runs
// the same reads and checks and changes nothing: the dry run.
// [Destination.Test] runs the tool's closest thing to a connection test
// (a refresh) where its API has one.
//
// [Destination.Identity] is the content's canonical address, free of
// credentials: the key for a record of which stored version each
// destination received, and the way to find two targets pushing to the
// same content.
//
// # URLs
//
// [Open] opens a destination through the schemes adapter packages
// register from their init functions, so importing an adapter, even with
// a blank import, is what makes its scheme work:
//
//	import _ "github.com/snowpat/snowpat/push/tableau" // tableau://<server>/<site>/{datasources|workbooks}/<name or id>
//	import _ "github.com/snowpat/snowpat/push/powerbi" // powerbi://groups/<workspace>/datasets/<dataset>
//
// Unknown schemes, user info in a URL and unknown query parameters are
// [ErrInvalidArgument], so that a typo cannot send a credential elsewhere.
// The BI APIs' own credentials never go in the URL: each adapter reads
// them from a secret store or the environment (Tableau) or from
// azidentity's credential chain (Power BI). [URLMux] is the registry, for
// programs and tests that want their own (an adapter opener wired to a
// fake's credential).
//
// [Options] carry what every destination shares: the HTTP client (its
// TLS roots), a [Clock] and random source for the retries' backoff and
// Test's polling (the engine's, so that tests never sleep), the retry
// bounds, a logger and the environment. Requests go over https only,
// except to loopback hosts or with an adapter's documented insecure
// switch, which logs a warning; redirects are never followed.
//
// # Errors
//
// Every error is an [*Error] naming the operation and the destination
// (its identity, or a URL without user info, query or fragment), whose
// kind is tested with errors.Is: [ErrNotFound], [ErrPermissionDenied],
// [ErrUnauthenticated] (the BI API refused its own credentials),
// [ErrUnavailable] (transient, after the retries), [ErrInvalidArgument],
// [ErrUnsupported], [ErrNoSnowflakeConnection], [ErrWrongAccount] and
// [ErrRefreshFailed]. The tool's native error stays reachable with
// errors.As or [Destination.ErrorAs]. A done context gives an error that
// matches context.Canceled or context.DeadlineExceeded and none of the
// kinds. No error text, log line or printed value contains a secret:
// [Credential] and pat.Secret redact themselves, adapters never quote a
// request body, and the conformance suite in package pushtest checks it.
//
// # Writing an adapter
//
// Adapters implement [github.com/snowpat/snowpat/push/driver], register an
// [Opener] with [Register], and run the conformance suite in
// [github.com/snowpat/snowpat/push/pushtest] against a fake of their tool.
package push
