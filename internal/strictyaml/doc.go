// Package strictyaml walks a YAML document's node tree strictly, for
// config files that must refuse every mistake and say where it is.
//
// It decodes nothing into structs: only the node tree knows the line and
// column of every key and value, and walking it lets one pass report every
// problem, not just the first. A Decoder collects Problems; its helpers
// check a mapping's fields (unknown, repeated, missing, with a suggestion
// for a likely typo), scalars of a type, lists, and resolve aliases under a
// visit budget, so that a short file cannot expand into an enormous walk.
//
// The YAML package reports some syntax errors without a position, and
// parser errors with a 0-based line; Document gives every syntax error a
// position. Those corrections depend on the YAML package's exact messages,
// so this package's tests fail if a message it matches stops occurring.
package strictyaml
