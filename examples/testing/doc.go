// Package testingexamples holds tests to copy into the programs that embed
// snowpat: a service that reads its token through patconn keeps working
// while the secret store fails and while the token is rotated; a custom
// Observer is tested against real failures; a targets file is planned and
// applied against the emulator in CI. Each uses public packages only:
// policy/policytest, pat/pattest, secrets/memstore's faults, patconn.
package testingexamples
