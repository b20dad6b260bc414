// Package badinput holds the bad-input table test: malformed names,
// numbers, YAML, stored values, store URLs and SHOW rows, fed through the
// public API, each of which must come back as a typed error — no panic,
// nothing sent, nothing written.
package badinput
