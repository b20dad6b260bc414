package fakefault

import "net/http"

// HangUp closes the connection of the request w answers, without any
// response: the client sees its connection end and cannot tell whether
// the call took effect. The server must support hijacking (HTTP/1.x, as
// httptest servers do); a fake that cannot hang up would silently answer
// instead, so HangUp panics.
func HangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakefault: the response writer cannot be hijacked to drop the connection")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// AnswerHTTP answers, as a says, an HTTP call that was carried out: by
// hanging up, or through writeError with a's status (500 when zero), which
// writes the fake's error document for it.
func (a Applied) AnswerHTTP(w http.ResponseWriter, writeError func(status int)) {
	if a.Drop {
		HangUp(w)
		return
	}
	writeError(a.CodeOr(http.StatusInternalServerError))
}
