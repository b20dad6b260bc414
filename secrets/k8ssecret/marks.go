package k8ssecret

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
)

// keptMarks is how many write marks the Secret keeps. A write looks for
// its mark right after its update failed, so its own mark is pushed out
// only if this many other writes land in between.
const keptMarks = 16

// Every update carries a random mark of its own in the versions
// annotation (state.Writes, the latest keptMarks of them). client-go
// resends an update answered 429 or 5xx with a Retry-After, and the
// server may have carried out the first attempt: the resend then fails
// on the resourceVersion the first attempt moved past, 409 Conflict, as
// if another writer had got there first. And an update answered with any
// other server error, or whose connection dropped, may or may not have
// been carried out. In both cases the write reads the Secret again, and
// if it carries the mark of one of its updates, that update is the
// write's, and its result (the version a Put added) is the write's
// result; otherwise the write decides again (after a conflict) or reports
// the error (nothing else tells whether it will still land).

// newMark returns 96 random bits in base64url, the mark of one update.
func newMark() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// nextWrites returns the marks to write: those read, and this write's,
// the oldest dropped past keptMarks.
func (sn *snapshot) nextWrites() []string {
	w := slices.Clone(sn.writes)
	if sn.mark != "" {
		w = append(w, sn.mark)
	}
	if len(w) > keptMarks {
		w = w[len(w)-keptMarks:]
	}
	return w
}

// landed returns the result of the update, among those sent (mark →
// result), that the Secret as read shows was carried out.
func (sn *snapshot) landed(sent map[string]string) (string, bool) {
	for _, m := range slices.Backward(sn.writes) {
		if res, ok := sent[m]; ok {
			return res, true
		}
	}
	return "", false
}

// landedAfterAll reads the Secret again after an update failed with no
// telling whether the server carried it out, and returns the result of
// the update it shows was. A failed read tells nothing.
func (s *secret) landedAfterAll(ctx context.Context, sent map[string]string) (string, bool) {
	sn, err := s.load(ctx)
	if err != nil {
		return "", false
	}
	return sn.landed(sent)
}
