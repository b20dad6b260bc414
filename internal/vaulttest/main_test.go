package vaulttest

import (
	"testing"

	"go.uber.org/goleak"
)

// The in-process Vault core leaves three kinds of goroutine behind after
// its shutdown, each waiting on a context or a finalizer that sealing
// never triggers; they are Vault's, idle, and named here one by one so
// that a leak of our own still fails the run:
//
//   - go-cache janitors, one per cache the core makes (the login MFA and
//     user lockout caches), stopped only by a finalizer when the cache is
//     collected;
//   - (*Core).setupCachedMFAResponseAuth's ticker loop and
//   - (*Core).updateLockedUserEntries' ticker loop, both waiting for the
//     core's active context, which a test core's shutdown leaves open.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/patrickmn/go-cache.(*janitor).Run"),
		goleak.IgnoreTopFunction("github.com/hashicorp/vault/vault.(*Core).setupCachedMFAResponseAuth.func1"),
		goleak.IgnoreTopFunction("github.com/hashicorp/vault/vault.(*Core).updateLockedUserEntries.func1"),
	)
}
