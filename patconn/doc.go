// Package patconn lets a Go service that logs in to Snowflake with a
// programmatic access token never notice a rotation: every new connection
// logs in with the current token from a secret store, read cheaply from
// memory, and a connection refused for an invalid token heals itself.
//
// # Three lines
//
//	store, _ := secrets.OpenStore(ctx, "awssm://prod/powerbi?region=eu-west-1")
//	conn, _ := patconn.NewConnector(cfg, store, patconn.Options{})
//	db := sql.OpenDB(conn)
//
// # Caching
//
// A [Reader] keeps the last token it read for a TTL. Reads within the TTL
// are an atomic load: no lock that serialises readers and no allocation.
// When a read finds the token older than the TTL minus RefreshAhead, it
// starts one background refresh and carries on with the cached token;
// when the TTL has passed, readers wait for one store read between them.
// A refresh that fails keeps the last good token and reports the error
// (Options.OnError and the logger); only a reader with no token at all
// gets the error.
//
// The TTL bounds how long a new connection can still use a replaced token,
// so it must be shorter than the rotation's grace — the policy engine's
// Policy.ConsumerCacheTTL is the place to declare it.
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
