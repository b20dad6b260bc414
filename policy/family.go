package policy

import (
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// A target owns a family of tokens in Snowflake, whatever its strategy:
// its generations, named TOKEN, TOKEN_BLUE and TOKEN_GREEN, and the
// rotated-out tokens of any of them (TOKEN_ROTATED_<millis>, whose
// rotated_to names the generation). The rotate strategy lives under TOKEN
// and bridges through a colour when its token has too little life left for
// a ROTATE to keep the old secret working for the grace; blue/green
// alternates the colours. Tracking the whole family under both strategies
// is what lets a strategy switch retire the old name after its grace, and
// a compromise revoke every token that could hold a leaked secret.

const (
	blueSuffix  = "_BLUE"
	greenSuffix = "_GREEN"
)

// isGeneration reports whether name is one of t's generation names.
func isGeneration(t *Target, name string) bool {
	rest, ok := strings.CutPrefix(name, t.Token)
	return ok && (rest == "" || rest == blueSuffix || rest == greenSuffix)
}

// owns reports whether tok belongs to t's family.
func owns(t *Target, tok *pat.Token) bool {
	return isGeneration(t, tok.Name) || tok.IsRotated() && isGeneration(t, tok.RotatedTo)
}

// The suffixes of the names a new generation may take, in preference
// order, for each strategy. Shared and never changed: naming a generation
// looks it up by prefix and suffix, and builds its name only to add it.
var (
	rotateSuffixes    = []string{"", blueSuffix, greenSuffix}
	blueGreenSuffixes = []string{blueSuffix, greenSuffix}
)

// generationSuffixes are the suffixes of the names a new generation may
// take, in preference order.
func generationSuffixes(t *Target) []string {
	if t.Policy.strategy() == StrategyBlueGreen {
		return blueGreenSuffixes
	}
	return rotateSuffixes
}

// addNames are the names a new generation may take, in preference order.
func addNames(t *Target) []string {
	var names []string
	for _, s := range generationSuffixes(t) {
		names = append(names, t.Token+s)
	}
	return names
}

// generation is the token named t.Token+suffix, without building the name.
func (o *Observed) generation(t *Target, suffix string) *pat.Token {
	n := len(t.Token) + len(suffix)
	for i := range o.Tokens {
		if name := o.Tokens[i].Name; len(name) == n && strings.HasPrefix(name, t.Token) && strings.HasSuffix(name, suffix) {
			return &o.Tokens[i]
		}
	}
	return nil
}

// activeHeld is the generation serving the target: the newest one that a
// store's current secret belongs to (as SYSTEM$DECODE_PAT says, for the
// target's user) and that SHOW lists as ACTIVE; else the newest ACTIVE
// generation; else the newest generation in any state, so that an expired
// or disabled token is reported as such. Nil when the target has none.
//
// It also returns the first store whose current version holds that
// token's live secret (liveSecretOf), found on the way: -1 when none does.
// Evaluate asks next what that store holds, and need not ask again what
// was found here.
func activeHeld(t *Target, o *Observed) (*pat.Token, int) {
	var held, live, any *pat.Token
	heldBy := -1
	for i := range o.Tokens {
		tok := &o.Tokens[i]
		if !isGeneration(t, tok.Name) {
			continue
		}
		if any == nil || tok.CreatedOn.After(any.CreatedOn) {
			any = tok
		}
		if tok.Status != pat.StatusActive {
			continue
		}
		if live == nil || tok.CreatedOn.After(live.CreatedOn) {
			live = tok
		}
		if s := storeHolding(t, o, tok.Name); s >= 0 && (held == nil || tok.CreatedOn.After(held.CreatedOn)) {
			held, heldBy = tok, s
		}
	}
	switch {
	case held != nil:
		return held, heldBy
	case live != nil:
		return live, -1
	}
	return any, -1
}

// storeHolding is the first store whose current secret is token name's,
// for the target's user, and live; -1 when none is.
func storeHolding(t *Target, o *Observed, name string) int {
	for i := range o.Stores {
		if c := o.Stores[i].Current; c != nil && c.liveSecretOf(t, name) {
			return i
		}
	}
	return -1
}

// idleSince is when generation tok stopped being needed: the later of its
// own creation and the active generation's. Its grace runs from then, so
// an idle generation older than the active one is kept for the consumers
// that still hold it, and a younger one — another rotator's work in
// flight, or a mint whose answer was lost — for as long as an install can
// take.
func idleSince(tok, active *pat.Token) time.Time {
	if active != nil && active.CreatedOn.After(tok.CreatedOn) {
		return active.CreatedOn
	}
	return tok.CreatedOn
}

// lapsed reports whether a token of the family may be removed now: it
// expired, or it is a generation other than the active one that has been
// idle for longer than the grace. With a store unread, only an expired
// token has lapsed, since that store may hold any live one's secret (a
// blue-green mint then rotates the other name instead of removing it: its
// secret keeps working for the grace).
func (p *planner) lapsed(tok, active *pat.Token) bool {
	switch {
	case expired(tok, p.now):
		return true
	case p.o.partial:
		return false
	case tok == active:
		return false
	case tok.IsRotated():
		return false // it expires by itself when its grace ends
	case tok.Status == pat.StatusActive:
		return !p.now.Before(idleSince(tok, active).Add(p.t.Policy.Grace))
	}
	return false // disabled: an administrator's act, not ours to undo
}

// expired is tok.IsExpired(now) without copying the token, which the
// value receiver does on every call a pass makes for every token.
// TestExpiredIsTokenIsExpired holds the two together.
func expired(tok *pat.Token, now time.Time) bool {
	return tok.Status == pat.StatusExpired || !tok.ExpiresAt.IsZero() && !now.Before(tok.ExpiresAt)
}

// lifetimeDays is the lifetime tok was created with, in whole days.
func lifetimeDays(tok *pat.Token) int {
	return int((tok.ExpiresAt.Sub(tok.CreatedOn) + Day/2) / Day)
}
