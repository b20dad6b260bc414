package policytest

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
)

// Adopt brings targets from a real configuration into the world, so that a
// targets file can be planned and applied in CI: each target's user is
// made here as a service user (with the network policy and the role its
// policy restricts tokens to, granted), its account becomes the
// emulator's, and each store URL is replaced by a memory store of its own
// (named after the URL, so two targets sharing a store still share one).
// Push destinations are dropped: the BI tools are not emulated here.
// The targets are returned changed; the originals are not.
func (w *World) Adopt(targets []policy.Target) []policy.Target {
	w.t.Helper()
	out := make([]policy.Target, len(targets))
	made := map[string]bool{}
	for i, t := range targets {
		t.Account = w.Server.Account()
		t.Stores = append([]string(nil), t.Stores...)
		for j, s := range t.Stores {
			t.Stores[j] = "mem://policytest-adopted/" + url.PathEscape(s)
		}
		t.Push = nil
		if !made[strings.ToUpper(t.User)] {
			made[strings.ToUpper(t.User)] = true
			w.adoptUser(t.User, t.Policy.RoleRestriction)
		}
		out[i] = t
	}
	return out
}

func (w *World) adoptUser(user, role string) {
	w.t.Helper()
	stmts := []string{
		"CREATE NETWORK POLICY IF NOT EXISTS bi ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
	}
	u, err := pat.QuoteIdent(user)
	if err != nil {
		w.t.Fatalf("policytest: user %q: %v", user, err)
	}
	stmts = append(stmts, fmt.Sprintf("CREATE USER IF NOT EXISTS %s TYPE = SERVICE NETWORK_POLICY = bi", u))
	if role != "" {
		r, err := pat.QuoteIdent(role)
		if err != nil {
			w.t.Fatalf("policytest: role %q: %v", role, err)
		}
		stmts = append(stmts, "CREATE ROLE IF NOT EXISTS "+r, fmt.Sprintf("GRANT ROLE %s TO USER %s", r, u))
	}
	for _, s := range stmts {
		if _, err := w.DB.Exec(s); err != nil {
			w.t.Fatalf("policytest: %s: %v", s, err)
		}
	}
}
