package fakefault

import "net/http"

// Drop closes the connection under w without writing a response, as a
// lost response does: the client cannot tell whether the call committed.
// HTTP fakes call it for a call injected with "apply, then drop".
func Drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakefault: the response writer cannot be hijacked to drop a response")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
