// Package idem holds what the remote store adapters (azkv and vault)
// share for making writes safe to retry, whatever the backend.
//
// # Overview
//
// A write can fail without the caller learning whether it happened:
// IsTransport reports such a failure, which got no response at all. The
// caller retries with the same idempotency key, and the adapter must then
// recognise the version the first attempt wrote. Marks gives it what to
// remember on that version: two MACs keyed with the idempotency key, a
// lookup id and a MAC of the value. Neither reveals the key, and without
// the key (which callers make random) the value MAC cannot be used to test
// guesses of the value; it lets a retried write be recognised even when
// the earlier version's value can no longer be read.
//
// Where the marks are kept, and how long they are, is each backend's
// choice, so Marks takes the length: marks already stored must keep
// matching, and a backend cannot change it without forgetting them.
package idem
