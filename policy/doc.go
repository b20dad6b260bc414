// Package policy keeps Snowflake programmatic access tokens fresh without
// ever leaving a service without a working credential: rules become a plan
// of exact steps with reasons, the plan is applied by a crash-safe
// protocol, and a run loop does it unattended inside any Go program.
//
// # Policies and targets
//
// A [Policy] says how often a token is rotated (RotateEvery), how long
// before expiry it is rotated at the latest (RotateBefore), how long new
// tokens live (LifetimeDays, which must exceed the two together, so a
// token can never expire before its rotation), how long a replaced secret
// keeps working (Grace, at least an hour, which must cover the longest
// consumer cache TTL and fit in the lead time), the role new tokens are
// restricted to, and when to warn. [Production] (90 days) and
// [Development] (180 days) are the guide's presets; [Preset] returns a
// copy of one.
//
// A [Target] is one token: a Snowflake user, the token's name, a policy,
// and the secret stores (URLs for secrets.OpenStore) its secret is kept
// in. Targets come from Go structs or from YAML (LoadConfigFile); the
// [Runner] and [Engine.Plan] check a set of targets by the same rules as a
// config file (no two targets on one token, one store, or overlapping
// token names).
//
// A target owns a family of tokens: its generations, named TOKEN,
// TOKEN_BLUE and TOKEN_GREEN, and their rotated-out tokens. The rotate
// strategy lives under TOKEN; blue/green alternates the colours. Both are
// tracked under either strategy, so switching strategy retires the old
// name after its grace, and an incident revokes every one of them.
//
// # Evaluation
//
// [Evaluate] is a pure function of the time and an [Observed] state (the
// user, its tokens as SHOW lists them, the authentication policy in force
// and the user's roles, and what every store holds, each stored secret
// identified by SYSTEM$DECODE_PAT). It returns one [Decision]: nothing to
// do, warn, create, rotate, recreate, revoke-and-recreate (an incident),
// recover (a rotation left half-done, or a store holding what the target
// does not need), retire (clean up after a grace), or blocked — with the
// time it is due, a reason a person can read, findings against the guide's
// best practices, and the exact ordered [Step]s that carry it out: remove
// a token, rotate one with a grace, add one with a lifetime, store the new
// secret as pending in a store, verify it, promote it in a store, retire
// or destroy a stored version. [Engine.Plan] evaluates every target
// without changing anything: the dry run, printable as a table or JSON,
// steps included. Apply only interprets the steps; every predicate they
// depend on is decided once, in Evaluate.
//
// [EvaluateTo] is Evaluate into a [Decision] the caller keeps: evaluated
// again for the same target, it reuses the decision's arrays and strings
// and allocates nothing when nothing is due or a rotation is. A decision
// keeps its reason as the facts it is worded from; [Decision.Reason] words
// it when it is read.
//
// A store holds what the target needs when its current version is the
// active token's working secret, for the target's user, in the target's
// format, without stray whitespace. Anything else is repaired: rewritten
// from a store that holds the secret, or replaced by a new one.
//
// # The apply protocol
//
// [Engine.Apply] takes the target's lock, observes, evaluates and carries
// out the steps. Every change ends in the same steps, each idempotent and
// recognisable from outside:
//
//  1. Mint: ROTATE the token with the policy's grace, or ADD a new
//     generation beside it. The old secret keeps working for at least the
//     grace: a token with less life left than the grace is not rotated
//     with a shortened grace but replaced by an added generation, and a
//     grace of 0 is refused.
//  2. Store pending: write the new secret as the pending version of every
//     store, with an idempotency key derived from the value, so a retried
//     write changes nothing.
//  3. Verify: log in with the new secret as the target's user, as a
//     consumer would.
//  4. Promote: make the pending version current in every store; the old
//     one becomes previous. Where the store supports compare-and-swap the
//     promotion requires the current version to be the one observed.
//  5. Push: write the new secret into every BI destination of the target
//     (Target.Push, package push), then run the destination's test where
//     it has one. A push follows a promotion in at least one store: a
//     destination never receives a secret the stores do not hand out.
//  6. Retire: once the grace has passed, remove the lapsed rotated-out
//     token or superseded generation and retire the previous stored
//     version. While a destination lags (its last push failed), the
//     generation it still logs in with is kept until it expires.
//
// Which secret each destination received is recorded as a fingerprint
// (Options.Records). A push and its record cannot be one atomic write, so
// a push is bracketed: an in-flight marker with a fresh nonce before it,
// completed after it only if the marker is still the push's own. Two
// pushes that race leave no record rather than a wrong one, and the next
// pass pushes again.
//
// Stores are independent. A store that cannot be read, or fails a write,
// is left out of the decision and reported; the others are verified and
// promoted at once, so one store down for longer than the grace does not
// leave the healthy ones with a secret that expires. When it comes back,
// the next pass copies the secret the others hold to it.
//
// A crash, a lost response or a failed write between any two steps leaves
// either a pending version in some store, or a store whose current secret
// is not the active token's. The next observation sees it and plans
// recover, which finishes with a secret a store already holds (copying it
// to the others, verifying, promoting) or, when no store holds the active
// token's secret — it was minted and lost — mints again with the full
// grace: an engine that does not share this one's lock may be installing
// the secret that looked lost. Whatever an error was, classified or not,
// the next attempt decides from a fresh observation, never from a guess
// about the error.
//
// # Incidents
//
// Setting Target.Compromised declares an incident, identified by
// CompromisedAt or Incident so that it acts exactly once: every token of
// the target's family — the active one, every rotated-out one holding an
// earlier secret, every other generation — is removed at once, stale
// pending versions are retired, a replacement is added whose comment
// carries the incident's marker, installed, and the stored copies of the
// compromised secrets are destroyed where the store can erase a version
// (retired elsewhere). Until the marked replacement exists, every pass
// revokes and adds again, so a refused or lost ADD, or a token already
// gone from SHOW, still ends with a marked replacement. Snowflake keeps a
// token's comment through ROTATE, and the engine marks every token it adds
// while the flag is set, so a flag left set does nothing more than a
// warning in the plan; a new incident, with a new identity, acts again.
//
// # What the engine will not undo
//
// A token disabled outside snowpat blocks its target with a finding that
// says what to do (enable it, or declare an incident to replace it);
// Policy.ReplaceDisabled opts into replacing it unattended. A disabled
// user always blocks. A store that holds another snowpat target's working
// secret blocks the target with ErrSharedStore instead of overwriting it:
// two targets writing one secret would overwrite each other's token on
// every pass. A blocked decision carries its cause ([Decision.Err]), and
// Apply's error wraps it (pat.ErrNotFound for a missing user,
// secrets.ErrInvalidArgument for a store URL that does not open, …).
//
// # Guarantees
//
//   - A stored secret is replaced only by one that has logged in as the
//     target's user.
//   - No single fault — a crash, a lost answer, a failed write, a store
//     down for longer than the grace — leaves a healthy store holding a
//     secret that stops working before its replacement is installed,
//     provided the engine runs at least once within every lead time
//     (RotateBefore) and, after a fault, within the grace. The worst
//     outcome of a single fault is one extra rotation inside the grace.
//   - No token is removed unless its target declared an incident, it has
//     expired, or it is a generation superseded for longer than the grace.
//   - One rotator per target at a time: a [Locker] serialises Apply — in
//     process by default, across replicas with [NewLeaseLocker], a lease
//     kept by compare-and-swap in a shared store, one holder per grant.
//     The engine checks the lock before every change, so a rotator that
//     lost its lease (partitioned, or too slow to renew) takes no further
//     step. Engines without a common lock still converge, but only
//     eventually: one acting on a stale observation can remove a token the
//     other just added (Snowflake removes by name), leaving that engine's
//     stores with a dead secret until the next pass repairs it. Give
//     replicas a lease.
//   - A failing attempt is retried with capped exponential backoff and
//     jitter ([Retry]); past the limit the target is marked failed and a
//     final failed event raised.
//
// These hold in the fault campaign (TestFaultCampaign), which CI runs on
// fixed seeds. What several faults together can still do: repeated lost
// ROTATE answers each leave a rotated-out token alive for the grace, and
// enough of them within one grace fill the user's 15-token limit (the
// engine then blocks with pat.ErrTokenLimit rather than fail in
// Snowflake); a store that stays down keeps its old secret, which dies at
// the end of the grace, until it comes back; and a blue/green target first
// seen in its token's last hours, whose other generation name is held by a
// live token that an unreadable store may hold, is rotated in place with
// the whole hours its old secret has left, less than the grace, rather
// than left to expire.
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
// its context ends. The clock is injected (k8s.io/utils/clock): its
// FakeClock (k8s.io/utils/clock/testing) drives the emulator and the engine
// together in tests, without sleeping.
package policy
