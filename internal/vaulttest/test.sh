#!/usr/bin/env bash
# Runs the Vault adapter's tests against an in-process Vault server. This
# module is separate so that Vault's dependency tree never reaches the
# library's go.mod; its first run downloads and compiles that tree (several
# minutes), later runs take seconds.
set -euo pipefail
cd "$(dirname "$0")"
go vet ./...
go test -race -count=1 ./...
