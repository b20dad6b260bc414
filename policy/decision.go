package policy

import (
	"encoding/json"
	"errors"
	"time"
)

// Action is what a decision asks the engine to do.
type Action string

const (
	// ActionNone: nothing is due.
	ActionNone Action = "none"
	// ActionWarn: nothing is due yet, but expiry has crossed a warning
	// threshold (normally the rotation comes first; a warning means it is
	// late, or the policy leaves little margin).
	ActionWarn Action = "warn"
	// ActionCreate: the token does not exist and nothing is stored.
	ActionCreate Action = "create"
	// ActionRotate: the token is due for rotation.
	ActionRotate Action = "rotate"
	// ActionRecreate: the token expired, was disabled or was removed
	// outside snowpat; the stored secret no longer works, so a new token is
	// made from scratch.
	ActionRecreate Action = "recreate"
	// ActionRevokeAndRecreate: the token is compromised; it and every
	// rotated-out secret are removed at once and a new token made.
	ActionRevokeAndRecreate Action = "revoke-and-recreate"
	// ActionRecover: a rotation was left half-done, or a store holds a
	// secret that is not the active token's; the engine finishes or
	// repairs it.
	ActionRecover Action = "recover"
	// ActionRetire: a rotation's grace has passed; the rotated-out token is
	// removed from Snowflake and the previous stored version retired.
	ActionRetire Action = "retire"
	// ActionPush: the stores hold the current secret, but a push
	// destination has not received it (a push failed, or the destination
	// is new); it is pushed now.
	ActionPush Action = "push"
	// ActionBlocked: the engine cannot act safely (the user is missing, a
	// store is unreadable); the reason says why. It is retried next time.
	ActionBlocked Action = "blocked"
)

// Severity ranks findings.
type Severity string

const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Finding is a departure from the guide's best practices, reported with
// the plan; findings never change what the engine does.
type Finding struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

// Decision is the plan for one target.
//
// It marshals to JSON with its reason under "reason", between "due" and
// "token", as it always has.
type Decision struct {
	Target string `json:"target"`
	Action Action `json:"action"`
	// Due is when the next action becomes due: in the past or now for an
	// action to take, in the future for ActionNone and ActionWarn.
	Due time.Time `json:"due,omitzero"`
	// Token is the token the decision concerns (for blue/green, the active
	// generation's name).
	Token string `json:"token"`
	// ExpiresAt is the active token's expiry, if there is one.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	// Steps are the changes Apply will make, in order, exactly: a dry run
	// shows what will be sent. Empty when nothing is due or the target is
	// blocked.
	Steps    []Step    `json:"steps,omitempty"`
	Findings []Finding `json:"findings,omitempty"`

	// why is what Reason words; see reason.go.
	why reason
	// cause is why a blocked decision is blocked, as an error callers can
	// test with errors.Is (pat.ErrNotFound for a missing user,
	// secrets.ErrInvalidArgument for a bad store URL, …).
	cause error
	// storeErrs are the stores left out of the decision because they could
	// not be read; Apply reports them after acting for the others.
	storeErrs []error
	// built are strings EvaluateTo made for this decision's target (a
	// step's reason naming the user, a generation's name), kept so that
	// evaluating the same target into it again builds none of them anew.
	built []string
	// verifyWhy is a verify step's reason, built for verifyUser, kept with
	// it (by EvaluateTo only) so that the next evaluation finds it without
	// comparing its text (see planner.verifyWhy).
	verifyWhy, verifyUser string
}

// Err returns why a blocked decision is blocked, as an error that wraps
// the cause (pat.ErrNotFound for a missing user, secrets.ErrInvalidArgument
// for a store URL that does not open, pat.ErrTokenDisabled for a token
// disabled outside snowpat, …); nil for any other decision.
func (d Decision) Err() error {
	if d.Action != ActionBlocked {
		return nil
	}
	if d.cause == nil {
		return errors.New(d.Reason())
	}
	return &causeError{msg: d.Reason(), cause: d.cause}
}

// decisionJSON is a Decision as JSON, its reason worded.
type decisionJSON struct {
	Target    string    `json:"target"`
	Action    Action    `json:"action"`
	Due       time.Time `json:"due,omitzero"`
	Reason    string    `json:"reason"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	Steps     []Step    `json:"steps,omitempty"`
	Findings  []Finding `json:"findings,omitempty"`
}

// MarshalJSON writes the decision with its reason worded.
func (d Decision) MarshalJSON() ([]byte, error) {
	return json.Marshal(decisionJSON{Target: d.Target, Action: d.Action, Due: d.Due, Reason: d.Reason(), Token: d.Token,
		ExpiresAt: d.ExpiresAt, Steps: d.Steps, Findings: d.Findings})
}

// UnmarshalJSON reads a decision MarshalJSON wrote; its reason is kept as
// text, and a blocked one's Err reads as that text.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var j decisionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Decision{Target: j.Target, Action: j.Action, Due: j.Due, Token: j.Token, ExpiresAt: j.ExpiresAt,
		Steps: j.Steps, Findings: j.Findings, why: textReason(j.Reason)}
	return nil
}

// causeError reads as its message and unwraps to its cause, a sentinel
// that the message already explains.
type causeError struct {
	msg   string
	cause error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.cause }

// Actionable reports whether the decision asks for a change.
func (d Decision) Actionable() bool {
	switch d.Action {
	case ActionNone, ActionWarn, ActionBlocked:
		return false
	}
	return true
}
