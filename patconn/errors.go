package patconn

import "errors"

// The errors a Reader or Connector returns besides the store's and the
// driver's own (which keep their package's sentinels: secrets.ErrNotFound,
// pat.ErrInvalidToken, …).
var (
	// ErrClosed: the Reader or Connector was used after Close.
	ErrClosed = errors.New("patconn: closed")
	// ErrNoStore: NewReader or NewConnector was given a nil store.
	ErrNoStore = errors.New("patconn: a store is required")
	// ErrNoUser: NewConnector was given a Config without a User. The
	// connector logs in only as the user it was configured with, never as
	// whoever a stored secret names.
	ErrNoUser = errors.New("patconn: Config.User is required: a stored secret never chooses whom to log in as")
	// ErrUserMismatch: the store holds a token recorded for another user
	// than the configured one (or Options.User disagrees with
	// Config.User). Such a token is never handed out nor sent.
	ErrUserMismatch = errors.New("patconn: the stored token belongs to another user")
	// ErrStale: the store has not confirmed the cached token for longer
	// than the TTL plus Options.MaxStale, so the token is no longer
	// handed out. The error also wraps the last read's failure.
	ErrStale = errors.New("patconn: the cached token is stale")
)
