// Package cli holds what the example programs share: the administrator's
// key-pair login from flags and the standard SNOWFLAKE_* environment
// variables.
package cli
