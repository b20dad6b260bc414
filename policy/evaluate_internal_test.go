package policy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
)

var roleNames = []string{"", "R", "r", "BI_READER", "bi_reader", "Bi_Reader", "_x", "_X", "x$1", "X$1", "$x", "$X",
	"1abc", "1ABC", "a b", "A B", `"bi_reader"`, `"BI_READER"`, "äb", "ÄB", "a-b", "A-B", "PUBLIC", "public", "k", "K", "\u212a"}

// sameRole is pat.NormalizeName equality, without building the names.
func TestSameRoleIsNormalizedEquality(t *testing.T) {
	for _, a := range roleNames {
		for _, b := range roleNames {
			require.Equal(t, pat.NormalizeName(a) == pat.NormalizeName(b), sameRole(a, b), "%q %q", a, b)
		}
	}
}

func FuzzSameRole(f *testing.F) {
	for i, a := range roleNames {
		f.Add(a, roleNames[(i+3)%len(roleNames)])
		f.Add(a, a)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if want := pat.NormalizeName(a) == pat.NormalizeName(b); sameRole(a, b) != want {
			t.Fatalf("sameRole(%q, %q) = %v, pat.NormalizeName says %v", a, b, !want, want)
		}
	})
}

// expired is pat.Token.IsExpired, without copying the token.
func TestExpiredIsTokenIsExpired(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	mono := time.Now() // carries a monotonic reading
	for _, n := range []time.Time{now, mono} {
		for _, at := range []time.Time{{}, n.Add(-time.Nanosecond), n, n.Add(time.Nanosecond), n.Round(0), n.Add(-time.Hour), n.Add(time.Hour)} {
			for _, st := range []pat.Status{pat.StatusActive, pat.StatusExpired, pat.StatusDisabled, ""} {
				tok := pat.Token{Name: "T", Status: st, ExpiresAt: at}
				require.Equal(t, tok.IsExpired(n), expired(&tok, n), "%s %v %v", st, at, n)
			}
		}
	}
}
