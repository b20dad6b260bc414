package pattest

// Every official driver sends each statement with a requestId query
// parameter and keeps it across retries, while request_guid changes per
// HTTP attempt (gosnowflake retry.go, the Python connector's network.py,
// the Node driver's statement.js); gosnowflake and Python add retryCount
// and retryReason on a retry. The SQL API documents that a requestId makes
// execution idempotent, and the Node driver offers to resubmit a statement
// by its requestId to get the earlier result. The emulator therefore
// answers a query-request whose requestId it has already answered in the
// same session with that first answer, byte for byte, and does not run the
// statement again. That a retried query-request is deduplicated the same
// way as an SQL API request is assumed; it is the behaviour under which a
// driver's automatic retry of ROTATE after a 5xx cannot rotate twice.

// maxReplies bounds the answers a session remembers. Retries come within
// seconds of the first attempt, so the recent ones suffice.
const maxReplies = 256

// reply is a recorded answer to one requestId.
type reply struct {
	body []byte
}

// replies remembers the answers of one session by requestId, oldest
// evicted first. It is guarded by Server.mu.
type replies struct {
	byID  map[string]reply
	order []string
}

func (r *replies) get(id string) (reply, bool) {
	if id == "" || r.byID == nil {
		return reply{}, false
	}
	rep, ok := r.byID[id]
	return rep, ok
}

func (r *replies) put(id string, rep reply) {
	if id == "" {
		return
	}
	if r.byID == nil {
		r.byID = map[string]reply{}
	}
	if _, ok := r.byID[id]; !ok {
		r.order = append(r.order, id)
	}
	r.byID[id] = rep
	for len(r.order) > maxReplies {
		delete(r.byID, r.order[0])
		r.order = r.order[1:]
	}
}
