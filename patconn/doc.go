// Package patconn lets a Go service that logs in to Snowflake with a
// programmatic access token never notice a rotation: every new connection
// logs in with the current token from a secret store, read cheaply from
// memory, and a connection refused for an invalid token heals itself.
//
// # In short
//
//	store, err := secrets.OpenStore(ctx, "awssm://prod/powerbi?region=eu-west-1")
//	cfg.User = "POWERBI_SERVICE"
//	conn, err := patconn.NewConnector(cfg, store, patconn.Options{})
//	db := sql.OpenDB(conn) // db.Close closes conn
//
// # Whose token
//
// A [Connector] logs in as Config.User, which is required ([ErrNoUser]):
// a stored secret never chooses whom to log in as. A stored token that
// records another user (the SnowflakePat JSON format records one, compared
// without case) is refused with [ErrUserMismatch] before anything is
// sent; a raw token records no user and is sent as Config.User's. A
// [Reader] used alone checks the user when Options.User is set.
//
// # Caching
//
// A [Reader] keeps the last token it read for a TTL. Reads within the TTL
// are an atomic load: no lock that serialises readers and no allocation.
// When a read finds the token older than the TTL minus RefreshAhead, it
// starts one background refresh and carries on with the cached token;
// when the TTL has passed, readers wait for one store read between them.
//
// A refresh that fails keeps the last good token and reports the error
// (Options.OnError and the logger), for at most Options.MaxStale past the
// TTL (default an hour); after that reads fail with [ErrStale]. A store
// that answers not found or permission denied is believed at once: the
// secret was deleted or access revoked, so the cached token is dropped and
// the error returned. A reader with no token gets the error.
//
// The TTL plus MaxStale bounds how long a new connection can still use a
// replaced token, so it must be shorter than the rotation's grace — the
// policy engine's Policy.ConsumerCacheTTL is the place to declare it.
//
// # Lifecycle
//
// Close (sql.DB.Close calls the Connector's) cancels the store read in
// flight and waits for it, so it returns promptly even when the store
// hangs, and the store may be closed after it. A background refresh the
// store does not answer within the TTL is abandoned. Time comes from
// Options.Clock, a k8s.io/utils/clock clock, so tests step it.
//
// # Healing
//
// When a login fails as an invalid token (pat.ErrInvalidToken, or
// pat.ErrBadCredentials for a token sent as a password), the [Connector]
// re-reads the store once, bypassing the cache, and retries with the newer
// token if there is one. Otherwise the error comes back classified with
// package pat's sentinels, its text free of the token.
//
// # Placement
//
// Like package policy, this package joins pat (the token, its stored
// format, its errors) and secrets (the store); it lives on its own so that
// pat stays free of the storage layer.
package patconn
