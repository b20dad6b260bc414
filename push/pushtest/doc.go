// Package pushtest helps test destinations: a clock that never sleeps, a
// Snowflake login that the BI fakes' refreshes use (through pat.Verify
// against the pattest emulator), and a conformance suite that every
// adapter runs against its fake, so that the portable guarantees (a push
// writes every Snowflake connection, refuses before changing anything,
// is idempotent, and never shows a secret) are checked the same way for
// every BI tool.
package pushtest
