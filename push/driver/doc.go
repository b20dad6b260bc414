// Package driver defines the small interface a BI tool implements so that
// package push can offer one portable Destination over it: a place, such
// as a Tableau data source or a Power BI semantic model, whose Snowflake
// connections receive a target's credential after each rotation.
//
// # Overview
//
// Application code never uses this package: it uses [push.Destination],
// which validates the credential, decides which connections may receive it
// (only Snowflake connections to the credential's account), maps driver
// errors onto portable codes and names the destination in every error. A
// driver therefore implements only the tool-specific part: finding the
// content, reading its connections, and writing a user name and password
// into some of them.
//
// One driver value addresses exactly one piece of content, as one URL names
// one: the server, site or workspace, the content and the BI API's own
// credentials are bound when the driver is constructed.
//
// # The push protocol
//
// [Destination.Push] reads the content and its connections, hands them to
// the check function the portable layer passes, and only if the check
// returns nil prepares every request (a gateway's public key fetched and
// parsed, the credential encrypted) before it sends the first change. A
// check that fails, or a preparation that fails, therefore changes nothing.
// The check's error is returned unchanged.
//
// Writing the same credential twice must be harmless: the BI tools store
// what they are sent, so a retried Push converges on the same state.
//
// # Errors
//
// A driver returns its native errors and classifies them through
// [Destination.ErrorCode], as secrets/driver does: context errors are
// returned as they are (the portable layer never maps them), and no error
// text may contain a secret, a password, a session token or a bearer token,
// or any encoding of one.
//
// # Optional capabilities
//
// [Tester] is implemented by drivers that can start the tool's closest
// thing to a connection test (a refresh) and read its outcome.
package driver
