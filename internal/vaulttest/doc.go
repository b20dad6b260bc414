// Package vaulttest runs a real HashiCorp Vault server (v1.14.1, the last
// MPL-2.0 release) inside the test process, with a KV version 2 engine
// mounted, and a fault-injecting reverse proxy in front of it. It is a
// module of its own, so that Vault's dependency tree stays out of the
// library's go.mod: its tests run the secrets conformance suite and the
// adapter's Vault-specific tests against github.com/snowpat/snowpat/secrets/vault.
//
// Run them from the repository root with
//
//	(cd internal/vaulttest && go test -race -count=1 ./...)
package vaulttest
