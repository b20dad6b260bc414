package driver

import "context"

// Secret is one secret in one backend. Its methods are safe for concurrent
// use, and for use by several Secret values (several processes, even) that
// address the same secret.
//
// Common rules for every method that takes a context: if ctx is done
// before the operation commits, the method returns ctx.Err() or an error
// wrapping it and changes nothing. A method that returns any other error
// either changed nothing or, for a backend that cannot tell (a lost
// response), may have committed; the idempotency key is how callers make
// that case safe to retry.
//
// A secret exists from its first written version until Delete. Every
// method that needs an existing secret returns a CodeNotFound error when it
// does not exist.
type Secret interface {
	// Get returns the version sel selects: by id, or the version holding
	// sel.Stage. It returns a CodeNotFound error when the secret does not
	// exist, no version has the id, no version holds the stage, or the
	// selected version is disabled (backends that can disable versions
	// refuse to read them; backends that cannot return retired versions
	// with StageNone).
	Get(ctx context.Context, sel Selector) (*Version, error)

	// Put writes req as a new version, creating the secret if it does not
	// exist, and returns the new version's id. The write and all the stage
	// moves it causes are one atomic step: no reader ever sees a state in
	// between.
	//
	// Without req.Pending the new version becomes current, the old
	// current becomes previous, and the old previous loses its stage; the
	// pending version, if any, keeps its stage. With req.Pending the new
	// version becomes pending, the old pending version loses its stage,
	// and no other version changes.
	//
	// When req.IdempotencyKey is not empty and an existing version (of any
	// stage, enabled or not) was written with the same key: if that
	// version's value and metadata equal req's, Put changes nothing (no
	// stage moves either) and returns that version's id and a nil error; if
	// they differ it returns a CodeConflict error and changes nothing. The
	// key is remembered for as long as the version exists. Pending is not
	// compared: a retried write reports the version it made, wherever it
	// has since moved.
	//
	// A backend that keeps a deleted secret's name reserved returns
	// CodeAlreadyExists when Put would recreate it.
	Put(ctx context.Context, req *PutRequest) (string, error)

	// Promote makes version id current in one atomic step: the old current
	// becomes previous, the old previous loses its stage, and id loses the
	// stage it held (pending or previous; promoting the previous version is
	// a rollback). Promoting the current version changes nothing and
	// returns nil, so Promote is idempotent. It returns CodeNotFound when
	// no version has the id and CodeConflict when the version is disabled.
	Promote(ctx context.Context, id string) error

	// Retire removes version id's stage and, on backends that can, disables
	// it so that it can no longer be read (Get returns CodeNotFound). It
	// does not delete the version: List still reports it. Retiring a
	// version without a stage that is already retired returns nil, so
	// Retire is idempotent. It returns CodeNotFound when no version has the
	// id and CodeConflict for the current version: a secret with versions
	// must keep a current one, so promote another version first.
	Retire(ctx context.Context, id string) error

	// List returns every version of the secret, without values, oldest
	// first (by Created, ties in the order they were written). It returns
	// CodeNotFound when the secret does not exist.
	List(ctx context.Context) ([]*VersionInfo, error)

	// Delete removes the secret and all its versions at once. Afterwards
	// every method returns CodeNotFound, except Put, which starts a new
	// secret with no history (or returns CodeAlreadyExists, see Put).
	// Deleting a secret that does not exist returns CodeNotFound.
	Delete(ctx context.Context) error

	// ErrorCode classifies an error returned by this Secret's methods. It
	// is never called with a nil error nor with a context error.
	ErrorCode(err error) ErrorCode

	// As sets i, a non-nil pointer, to the backend's native client type for
	// this secret (for example *secretsmanager.Client) and reports whether
	// it did. Which types are supported is the adapter's documentation.
	As(i any) bool

	// ErrorAs sets i, a non-nil pointer to an error type or an interface,
	// to the native error err wraps, as errors.As does, and reports whether
	// it did. err was returned by this Secret's methods. The portable
	// layer checks i before calling, so that errors.As cannot panic here.
	ErrorAs(err error, i any) bool

	// Close releases the Secret's resources. The portable layer calls it at
	// most once, after every other call has returned.
	Close() error
}

// CompareAndSwapper is implemented by Secrets whose backend can check a
// Precondition and write in one atomic step. A driver implements it only
// when it can honour it for every call; otherwise the portable layer
// reports the capability as unsupported.
type CompareAndSwapper interface {
	// PutIf is Put that checks pre, atomically with the write. The
	// idempotency key is checked before pre, so that retrying a PutIf
	// that committed returns the same id rather than a conflict. When pre
	// does not hold it returns a CodeConflict error and changes nothing.
	// pre.Absent holds only for a secret with no version at all;
	// pre.CurrentID only when that version holds StageCurrent (a secret
	// with only a pending version has no current one).
	PutIf(ctx context.Context, req *PutRequest, pre Precondition) (string, error)

	// PromoteIf is Promote that checks pre, atomically with the
	// promotion. The checks come in this order: a missing secret or id is
	// CodeNotFound; promoting the version that is already current returns
	// nil without consulting pre (the caller is retrying its own success,
	// or someone did the same work); pre not holding is CodeConflict (and
	// pre.Absent never holds here, as the version exists); a disabled
	// version is CodeConflict. On any error nothing changes.
	PromoteIf(ctx context.Context, id string, pre Precondition) error
}
