// Package policy keeps Snowflake programmatic access tokens fresh without
// ever leaving a service without a working credential: rules become a plan
// with reasons, the plan is applied by a crash-safe protocol, and a run
// loop does it unattended inside any Go program.
//
// # Policies and targets
//
// A [Policy] says how often a token is rotated (RotateEvery), how long
// before expiry it is rotated at the latest (RotateBefore), how long new
// tokens live (LifetimeDays, which must exceed the two together, so a
// token can never expire before its rotation), how long a replaced secret
// keeps working (Grace, which must cover the longest consumer cache TTL
// and fit in the lead time), the role new tokens are restricted to, and
// when to warn. [Production] (90 days) and [Development] (180 days) are
// the guide's presets, both rotating at least a week before expiry.
//
// A [Target] is one token: a Snowflake user, the token's name, a policy,
// and the secret stores (URLs for secrets.OpenStore) its secret is kept
// in. Targets come from Go structs or from YAML (LoadConfigFile).
//
// # Evaluation
//
// [Evaluate] is a pure function of the time and an [Observed] state (the
// user, its tokens as SHOW lists them, and what every store holds, each
// stored secret identified by SYSTEM$DECODE_PAT). It returns one
// [Decision]: nothing to do, warn, create, rotate (interval reached,
// expiry within the lead, policy changed), recreate (expired, disabled or
// removed outside snowpat), revoke-and-recreate (compromised), recover (a
// rotation left half-done, or a store holding a secret that is not the
// active token's), retire (clean up after a grace), or blocked (the user
// is missing or a store unreadable) — with the time it is due, a reason a
// person can read, and findings against the guide's best practices.
// [Engine.Plan] evaluates every target without changing anything: the dry
// run, printable as a table or JSON.
//
// # The apply protocol
//
// [Engine.Apply] takes the target's lock, observes, evaluates and acts.
// Every change ends in the same steps, each idempotent and recognisable
// from outside:
//
//  1. Mint: ROTATE the token in Snowflake with the policy's grace (or, for
//     blue/green, ADD the next generation beside the current one). The
//     old secret keeps working for the grace.
//  2. Store pending: write the new secret as the pending version of every
//     store, with an idempotency key derived from the secret, so a
//     retried write changes nothing.
//  3. Verify: log in with the new secret, as a consumer would.
//  4. Promote: make the pending version current in every store; the old
//     one becomes previous. Where the store supports compare-and-swap the
//     promotion requires the current version to be the one observed.
//  5. Retire: once the grace has passed, remove the lapsed rotated-out
//     token and retire the previous stored version.
//
// A crash, a lost response or a failed write between any two steps leaves
// either a pending version in some store, or a store whose current secret
// SYSTEM$DECODE_PAT attributes to a rotated-out token. The next
// observation sees it and plans recover, which finishes with the secret a
// store already holds (copying it to the others, verifying, promoting) or,
// when no store holds the active token's secret — it was minted and lost —
// rotates again and installs the new one. That rotation keeps the grace:
// an engine that does not share the lock may be installing the secret
// that looked lost.
//
// # Guarantees
//
//   - A stored secret is replaced only by one that has logged in.
//   - Until the engine is repaired, consumers keep the secret they have:
//     a rotation that fails after step 1 leaves the old secret valid for
//     the grace. The worst outcome of any single fault is one extra
//     rotation inside the grace window; a stored secret that cannot log in
//     while the old one has expired happens only if the engine stays
//     broken for longer than the grace.
//   - A compromised token and all its rotated-out secrets are removed
//     before the replacement is issued; the replacement carries a marker so
//     a compromised flag left set does not revoke it again.
//   - One rotator per target at a time: a [Locker] serialises Apply — in
//     process by default, across replicas with [NewLeaseLocker], a lease
//     kept by compare-and-swap in a shared store. Two engines without a
//     common lock still converge: the loser's secret is detected as
//     rotated-out and repaired.
//   - A failing attempt is retried with capped exponential backoff and
//     jitter ([Retry]); past the limit the target is marked failed and a
//     final failed event raised.
//
// # Observability
//
// Every step raises an [Event] (planned, created, rotated, revoked,
// stored, verified, promoted, retired, recovered, expiring, failed) to an
// [Observer] and, through [LogObserver], to log/slog. Events and log lines
// never carry a secret. Metrics go through the OpenTelemetry metric API
// (snowpat.events by kind and target, snowpat.token.expires_in), no-ops
// unless a MeterProvider is given.
//
// # Running
//
// [Runner] plans, applies what is due with bounded parallelism, waits on
// the [Clock] until the next due time (capped, with jitter) and stops when
// its context ends. The clock is injected: *pattest.ManualClock drives
// the emulator and the engine together in tests, without sleeping.
package policy
