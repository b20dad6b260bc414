package patconn

import "k8s.io/utils/clock"

// SetRefreshHook makes r call f when it has decided on a background
// refresh and before the refresh is counted as in flight.
func SetRefreshHook(r *Reader, f func()) { r.refreshHook = f }

// Fresh reports whether r's cached token is fresh: whether Get answers it
// without reading the clock.
func Fresh(r *Reader) bool {
	e := r.cur.Load()
	return e != nil && e.fresh.Load()
}

// TrustClock turns r's fast path on with c's timers, as it is on the real
// clock. Call it before r's first read. c's AfterFunc must run its
// function in a goroutine of its own, as time.AfterFunc does.
func TrustClock(r *Reader, c clock.WithDelayedExecution) { r.fresh.trust(c) }

// SetCheckHook makes every check of r's fresh window call f first. Call it
// before r's first read.
func SetCheckHook(r *Reader, f func()) { r.fresh.checkHook = f }
