package driver

import "context"

// Destroyer is implemented by Secrets whose backend can erase one version
// for good (GCP Secret Manager's destroy, Vault KV v2's destroy, a file
// store's unlink). Retire only takes a version out of use; a leaked secret
// and the lease records a lock writes on every acquisition must be gone, not
// disabled, where the backend allows it. Backends that cannot erase a single
// version (AWS Secrets Manager, Azure Key Vault) do not implement it.
type Destroyer interface {
	// Destroy erases version id's value so that it can never be read
	// again, and takes away its stage. Whether List still reports the
	// version (disabled) or forgets it is the backend's choice; either way a
	// later Put with the destroyed version's idempotency key never returns a
	// readable copy of it. Destroying the current version is CodeConflict
	// (promote another first); destroying a version that is already
	// destroyed returns nil or, where the backend forgot it, CodeNotFound,
	// which callers treat as done.
	Destroy(ctx context.Context, id string) error
}
