// Package pushtest helps test destinations: a Clock that never sleeps, a
// Snowflake emulator with a service user whose token the BI fakes'
// refreshes log in with (through pat.Verify), and Run, the conformance
// suite every adapter runs against its fake, so that the portable
// guarantees (every Snowflake connection written, refusals before any
// change, idempotence, no secret anywhere, a refresh that follows the
// token) are checked the same way for every BI tool.
package pushtest
