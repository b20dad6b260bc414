package policy

import (
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// A decision keeps its reason as the facts it is worded from, and words it
// only when someone reads it (Reason, JSON, a plan table, an event). A pass
// evaluates every target of a fleet and shows few reasons, and wording one
// — dates, durations — costs more than taking the decision; so the
// decisions a pass mostly takes (nothing due, a warning, a rotation, the
// clean-up after one, a push) build no text at all. The rest — blocked,
// revoke, recover, create, recreate — come with details only that moment
// has (an error, what a store holds instead) and are rare: they are worded
// at once and kept as text.

// reasonKind is how a reason is worded.
type reasonKind uint8

const (
	// reasonText: text is the reason, worded already.
	reasonText reasonKind = iota
	// reasonNext: nothing is due; the next rotation is at Due, for the
	// cause the due time comes from.
	reasonNext
	// reasonWarn: Token expires within a warning threshold; the rotation
	// is due at Due.
	reasonWarn
	// reasonRotate: the rotation is due, for its cause; text says what of
	// the policy the token no longer matches, if anything.
	reasonRotate
	// reasonRetire: the clean-up after a rotation, worded from its steps.
	reasonRetire
	// reasonPush: the destinations the current secret has not reached,
	// worded from the push steps.
	reasonPush
)

// reason is what Decision.Reason words.
type reason struct {
	kind reasonKind
	// byLead: the due time is the lead before expiry (at is the expiry,
	// span the lead); otherwise it is the interval after creation (at is
	// the creation, span the interval).
	byLead bool
	at     time.Time
	span   time.Duration
	// warn is the warning threshold crossed, left the time left then.
	warn, left time.Duration
	text       string
}

func textReason(s string) reason { return reason{kind: reasonText, text: s} }

// setDue makes r say why tok is due when it is — the earlier of its
// interval and its lead — and returns that time. It writes in place: a
// decision's reason is set once, and copying it costs.
func (r *reason) setDue(tok *pat.Token, pol *Policy) time.Time {
	byAge := tok.CreatedOn.Add(pol.RotateEvery)
	byExpiry := tok.ExpiresAt.Add(-pol.RotateBefore)
	if byExpiry.Before(byAge) {
		r.byLead, r.at, r.span = true, tok.ExpiresAt, pol.RotateBefore
		return byExpiry
	}
	r.byLead, r.at, r.span = false, tok.CreatedOn, pol.RotateEvery
	return byAge
}

// cause words why the rotation is due when it is.
func (r *reason) cause() string {
	if r.byLead {
		return "expiry " + stamp(r.at) + " is within the lead time (" + days(r.span) + ")"
	}
	return "rotation interval (" + days(r.span) + ") reached: created " + stamp(r.at)
}

// rotateText words a rotation's reason.
func (r *reason) rotateText() string {
	if r.text != "" {
		return r.cause() + "; policy changed: " + r.text
	}
	return r.cause()
}

// Reason says why, for a person. It is worded from what the decision
// holds each time it is called: evaluating builds no text for the common
// decisions (see reason.go).
func (d Decision) Reason() string {
	r := &d.why
	switch r.kind {
	case reasonNext:
		if r.byLead {
			return "next rotation " + stamp(d.Due) + ": the lead time (" + days(r.span) + ") before expiry " + stamp(r.at)
		}
		return "next rotation " + stamp(d.Due) + ": rotation interval (" + days(r.span) + ") reached"
	case reasonWarn:
		return "token " + d.Token + " expires in " + roundDays(r.left) + " (within the " + days(r.warn) + " warning); rotation due " + stamp(d.Due)
	case reasonRotate:
		return r.rotateText()
	case reasonRetire:
		parts := make([]string, 0, len(d.Steps))
		for _, st := range d.Steps {
			switch st.Kind {
			case StepRemoveToken:
				parts = append(parts, "token "+st.Token+" is "+st.Why)
			case StepRetireVersion, StepDestroyVersion:
				parts = append(parts, st.Store+" keeps a previous secret that no longer works")
			}
		}
		return strings.Join(parts, "; ")
	case reasonPush:
		var names []string
		for _, st := range d.Steps {
			if st.Kind == StepPush {
				names = append(names, st.Destination)
			}
		}
		return "the current secret has not reached " + strings.Join(names, ", ")
	}
	return r.text
}
