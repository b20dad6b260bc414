package policytest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/secrets"
)

// The checks snowpat's fault campaign makes, as assertions. Each reports
// every problem it finds with t.Errorf and returns whether there was none,
// so a test may go on (t.Error style) or stop (if !ok { t.FailNow() }).

// RequireWorks checks that every store of the target holds, as current, a
// secret that logs in now as the target's user, and that names that user.
func (w *World) RequireWorks(t testing.TB, tg policy.Target) bool {
	t.Helper()
	ok := true
	for _, url := range tg.Stores {
		st, held := w.Stored(url)
		switch {
		case !held:
			t.Errorf("policytest: %s: %s holds no readable secret", tg.ID(), url)
			ok = false
		case st.User != "" && !strings.EqualFold(st.User, tg.User):
			t.Errorf("policytest: %s: %s holds a token of user %s", tg.ID(), url, st.User)
			ok = false
		default:
			if err := w.Server.CheckPAT(tg.User, st.Token.Reveal()); err != nil {
				t.Errorf("policytest: %s: the secret %s holds does not log in as %s at %s: %v", tg.ID(), url, tg.User, w.Clock.Now().Format("2006-01-02 15:04"), err)
				ok = false
			}
		}
	}
	return ok
}

// RequireSettled checks that the target's stores agree on the current
// secret and hold no pending version: no rotation is left half-done.
func (w *World) RequireSettled(t testing.TB, tg policy.Target) bool {
	t.Helper()
	ok := true
	var first pat.Secret
	for _, url := range tg.Stores {
		s := w.Store(url)
		if _, err := s.ByStage(context.Background(), secrets.StagePending); err == nil {
			t.Errorf("policytest: %s: %s keeps a pending version", tg.ID(), url)
			ok = false
		}
		st, held := w.Stored(url)
		if !held {
			continue
		}
		if first.IsZero() {
			first = st.Token
		} else if !first.Equal(st.Token) {
			t.Errorf("policytest: %s: its stores disagree (%s differs from %s)", tg.ID(), url, tg.Stores[0])
			ok = false
		}
	}
	return ok
}

// RequireNoSecretLeaked checks that no secret the world has seen — tried
// by a verifier of Options, read by Stored, kept in any version of any
// store — appears in an event or a log line of the world's engines. New
// runs it when the test ends.
func (w *World) RequireNoSecretLeaked(t testing.TB) bool {
	t.Helper()
	return w.requireNoSecretIn(t, "an event or a log line", w.Logs()+fmt.Sprintf("%+v", w.Events()))
}

// RequireNoSecretIn checks that no secret the world has seen (as
// RequireNoSecretLeaked counts them) appears in any of texts: your
// program's error messages, its own logs, a report it writes.
func (w *World) RequireNoSecretIn(t testing.TB, texts ...string) bool {
	t.Helper()
	return w.requireNoSecretIn(t, "the text", strings.Join(texts, "\n"))
}

func (w *World) requireNoSecretIn(t testing.TB, where, text string) bool {
	t.Helper()
	for _, s := range w.allSecrets() {
		// Shorter strings than any token secret would match by chance.
		if len(s) >= 8 && strings.Contains(text, s) {
			t.Errorf("policytest: a secret appears in %s", where)
			return false
		}
	}
	return true
}

// allSecrets is every secret remembered and every one any version of any
// store holds.
func (w *World) allSecrets() []string {
	w.mu.Lock()
	out := append([]string(nil), w.secrets...)
	stores := make([]*secrets.Store, 0, len(w.stores))
	for _, s := range w.stores {
		stores = append(stores, s)
	}
	w.mu.Unlock()
	ctx := context.Background()
	for _, s := range stores {
		infos, err := s.List(ctx)
		if err != nil {
			continue
		}
		for _, in := range infos {
			if v, err := s.ByID(ctx, in.ID); err == nil {
				if st, err := pat.DecodeStored(v.Value()); err == nil {
					out = append(out, st.Token.Reveal())
				}
			}
		}
	}
	return out
}
