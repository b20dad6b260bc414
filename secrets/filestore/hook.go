package filestore

// crashHook, when set (only by tests, before any call), is called at each
// point where a crash leaves the directory in a distinct state, so that a
// test can kill the process exactly there. The points are "<file>:<step>"
// for file "version" or "state" and step "temp-synced", "renamed" or
// "dir-synced", "delete:state-removed" and "delete:version-removed", and
// "lock:opened", between opening the lock file and locking it.
var crashHook func(point string)

func crashPoint(point string) {
	if crashHook != nil {
		crashHook(point)
	}
}
