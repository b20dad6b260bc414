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
// take no lock that serialises readers and allocate nothing. When a read
// finds the token older than the TTL minus RefreshAhead (the refresh-ahead
// point), it starts one background refresh and carries on with the cached
// token; when the TTL has passed, readers wait for one store read between
// them.
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
// # The cached read and the clock
//
// Reading the clock costs more than the rest of a cached read (40–80 ns
// for time.Now on the virtual machines we measure, against a few ns for
// the read), so most reads do not read it. On the real clock (the default,
// k8s.io/utils/clock.RealClock) a token the store has just returned is
// fresh until one second (the margin) before its refresh-ahead point, and
// a read of a fresh token is two atomic loads and a copy. A timer
// callback reads the wall clock at least once a second while the token is
// fresh, and at the end of that window; when it finds the window over it
// marks the token not fresh, and from then on every read reads the clock
// and decides as described above. Replacing the token, or Close, ends the
// window at once. When TTL minus RefreshAhead is a second or less there is
// no fresh window and every read reads the clock.
//
// What "never past its TTL" means here: a read answers without the clock
// only while the last check found the wall clock before the window's end,
// and checks are at most a second apart. For a read to hand out a token
// past its TTL without reading the clock, one of two things must happen:
//
//   - Go's runtime runs a due timer later than the margin plus
//     RefreshAhead (by default a fifth of the TTL) while reads still run.
//     It normally runs one within milliseconds: a running goroutine is
//     preempted after 10 ms and the scheduler then runs due timers.
//   - The wall clock jumps forward past the TTL: an NTP step, a virtual
//     machine restored from a snapshot, the machine resuming from
//     suspend. Reads in the second until the next check still get the
//     cached token, however far past its TTL (and MaxStale) the jump
//     carried it. Go's timers count CLOCK_MONOTONIC, which stops while
//     Linux is suspended (golang/go#24595), so it is the once-a-second
//     check, not the window's length, that bounds this to a second. A
//     [Connector] whose login is then refused re-reads the store.
//
// A read that loads the flag just before it goes down returns the token,
// as a read that had read the clock an instant earlier would. The price
// is one timer callback per second per Reader while its token is fresh; a
// Reader nobody reads arms nothing once its token stops being fresh.
//
// With any other clock in Options.Clock (tests' fake clocks) there is no
// fresh window: every read reads that clock, so a test that steps it sees
// each deadline exactly.
//
// # Lifecycle
//
// Close (sql.DB.Close calls the Connector's) cancels the store read in
// flight and waits for it, so it returns promptly even when the store
// hangs, and the store may be closed after it. A background refresh the
// store does not answer within the TTL is abandoned. Close also stops
// the fresh window's timer and waits for a check already running; reads
// after it read the clock. Time comes from Options.Clock, a
// k8s.io/utils/clock clock, so tests step it.
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
