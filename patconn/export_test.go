package patconn

// SetRefreshHook makes r call f when it has decided on a background
// refresh and before the refresh is counted as in flight.
func SetRefreshHook(r *Reader, f func()) { r.refreshHook = f }
