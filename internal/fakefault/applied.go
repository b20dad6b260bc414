package fakefault

// Applied is the fault of a call that the server carries out and then
// fails to answer: it answers with a server error instead of the call's
// result, or drops the connection. A client cannot tell it from a call
// that failed before it took effect, so an SDK that retries server errors
// (and most do, writes included) sends the write again, and a write that
// is not idempotent happens twice.
type Applied struct {
	// Drop closes the connection without any answer.
	Drop bool
	// Code is the error the call is answered with when Drop is clear, in
	// the fake's protocol: an HTTP status for the HTTP fakes, a gRPC code
	// for gcpfake. Zero means the fake's usual server error (HTTP 500,
	// gRPC UNAVAILABLE).
	Code int
}

// CodeOr returns a's Code, or def when it is zero.
func (a Applied) CodeOr(def int) int {
	if a.Code == 0 {
		return def
	}
	return a.Code
}

// FailAfterApply queues a for the next call of op on resource, or of op
// on anything when resource is "". A fake carries such a call out as
// usual and then, instead of answering it, fails as a says, whatever the
// call's own outcome was: a retry that the server refuses (a token
// already used, a stale check-and-set) is lost the same way, as it would
// be behind a failing load balancer. Faults queue per operation and
// resource, one a call, in order. The resource is the fake's to choose:
// the secret a call names, typically, so that a test can fault the writes
// of one secret and no other.
func (in *Injector[E]) FailAfterApply(op, resource string, a Applied) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.applied == nil {
		in.applied = map[string][]Applied{}
	}
	k := appliedKey(op, resource)
	in.applied[k] = append(in.applied[k], a)
}

// TakeApplied takes the fault FailAfterApply queued for a call of op on
// resource, or, if there is none, one queued for op on anything. A fake
// calls it once per call, after carrying the call out and before
// answering it.
func (in *Injector[E]) TakeApplied(op, resource string) (Applied, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, k := range []string{appliedKey(op, resource), op} {
		if q := in.applied[k]; len(q) > 0 {
			in.applied[k] = q[1:]
			return q[0], true
		}
	}
	return Applied{}, false
}

// ClearApplied drops every fault FailAfterApply queued and no call has
// taken, so that a test can arm faults for one operation and be sure none
// is left for the next.
func (in *Injector[E]) ClearApplied() {
	in.mu.Lock()
	defer in.mu.Unlock()
	clear(in.applied)
}

func appliedKey(op, resource string) string {
	if resource == "" {
		return op
	}
	return op + "\x00" + resource
}
