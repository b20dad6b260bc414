package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// Plan is a decision for every target at one instant: what a dry run
// prints and what Run applies.
type Plan struct {
	At        time.Time  `json:"at"`
	Decisions []Decision `json:"decisions"`
}

// Plan observes every target and evaluates it at the clock's time. It
// changes nothing: this is the dry run.
func (e *Engine) Plan(ctx context.Context, targets []Target) Plan {
	p := Plan{At: e.clock.Now()}
	invalid := invalidTargets(targets)
	for i, t := range targets {
		if err := invalid[i]; err != nil {
			p.Decisions = append(p.Decisions, Decision{Target: t.ID(), Action: ActionBlocked, Due: p.At, why: textReason(err.Error()), cause: err})
			continue
		}
		o := e.Observe(ctx, t)
		p.Decisions = append(p.Decisions, evaluate(p.At, t, &o))
	}
	return p
}

// Due returns the decisions that ask for a change now.
func (p Plan) Due() []Decision {
	var out []Decision
	for _, d := range p.Decisions {
		if d.Actionable() {
			out = append(out, d)
		}
	}
	return out
}

// Next is the earliest future due time among decisions that are not due
// yet, and false if there is none.
func (p Plan) Next() (time.Time, bool) {
	var next time.Time
	for _, d := range p.Decisions {
		if d.Actionable() || d.Due.IsZero() || !d.Due.After(p.At) {
			continue
		}
		if next.IsZero() || d.Due.Before(next) {
			next = d.Due
		}
	}
	return next, !next.IsZero()
}

// Table renders the plan for a person: one line per target, with the
// steps a due decision will take beneath it, then the findings.
func (p Plan) Table() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "TARGET\tACTION\tDUE\tEXPIRES\tREASON\n")
	for _, d := range p.Decisions {
		due, exp := "-", "-"
		if !d.Due.IsZero() {
			due = stamp(d.Due)
		}
		if !d.ExpiresAt.IsZero() {
			exp = stamp(d.ExpiresAt)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", d.Target, d.Action, due, exp, d.Reason())
	}
	_ = w.Flush()
	for _, d := range p.Decisions {
		if len(d.Steps) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s will:\n", d.Target)
		for i, st := range d.Steps {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, st)
		}
	}
	for _, d := range p.Decisions {
		for _, f := range d.Findings {
			fmt.Fprintf(&b, "%s: %s [%s] %s\n", d.Target, f.Severity, f.Code, f.Message)
		}
	}
	return b.String()
}

// JSON renders the plan as indented JSON.
func (p Plan) JSON() ([]byte, error) { return json.MarshalIndent(p, "", "  ") }
