package policy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// Apply brings one target in line with its policy. It takes the target's
// lock (ErrLocked if another rotator holds it), observes, evaluates and
// carries out the decision's steps, in order. A failed attempt is retried
// after a backoff, each time from a fresh observation — whatever the error
// was, classified or not, the next decision is taken from the state seen,
// never from a guess about what failed — because every step is idempotent
// and the state it leaves is recognisable; after Retry.Attempts the target
// is marked failed (ErrFailed, wrapping the last cause) and a final failed
// event raised. After a successful recover Apply looks again, so that a
// pass leaves the target settled (a repair may leave the rotation it
// interrupted still due). Apply returns the first decision it acted on,
// else its last.
func (e *Engine) Apply(ctx context.Context, t Target) (Decision, error) {
	if err := t.Validate(); err != nil {
		return Decision{Target: t.ID(), Action: ActionBlocked, why: textReason(err.Error()), cause: err}, err
	}
	if err := e.claim(t); err != nil {
		return Decision{Target: t.ID(), Action: ActionBlocked, why: textReason(err.Error()), cause: err}, err
	}
	lock, err := e.locker.Lock(ctx, t.ID())
	if err != nil {
		reason := "another rotator holds the lock"
		if !errors.Is(err, ErrLocked) {
			reason = "cannot take the lock: " + err.Error()
		}
		return Decision{Target: t.ID(), Action: ActionBlocked, why: textReason(reason), cause: err}, err
	}
	defer func() { _ = lock.Unlock(ctx) }()

	var d, acted Decision
	var last error
	actions := 0
	// result is the first decision acted on, or the latest one.
	result := func() Decision {
		if actions > 0 {
			return acted
		}
		return d
	}
	for attempt := 1; attempt <= e.retry.Attempts; attempt++ {
		if attempt > 1 && last != nil {
			if err := e.wait(ctx, e.retry.backoff(attempt-1, e.rand)); err != nil {
				return result(), err
			}
		}
		o := e.observe(ctx, t, true)
		now := e.clock.Now()
		d = evaluate(now, t, &o)
		if attempt == 1 || last == nil {
			e.emit(ctx, t, Event{Kind: EventPlanned, Action: d.Action, Token: d.Token, Reason: d.Reason()})
			if !d.ExpiresAt.IsZero() {
				e.meters.expiry(ctx, t.ID(), d.ExpiresAt.Sub(now).Seconds())
			}
		}
		switch {
		case d.Action == ActionWarn:
			e.emit(ctx, t, Event{Kind: EventExpiring, Token: d.Token, Reason: d.Reason()})
			return result(), nil
		case d.Action == ActionBlocked:
			last = d.Err()
		case !d.Actionable() && len(d.storeErrs) > 0:
			last = errors.Join(d.storeErrs...)
		case !d.Actionable():
			return result(), nil
		default:
			last = e.run(ctx, t, &o, d, now, lock)
			if last == nil && len(d.storeErrs) > 0 {
				// Acted for the stores that could be read; the others are
				// reported and retried.
				last = errors.Join(d.storeErrs...)
				if actions == 0 {
					acted = d
				}
				actions++
			}
			if last == nil {
				if actions == 0 {
					acted = d
				}
				// A repair finishes old work first and can leave the
				// rotation that was due still due, so look again after one:
				// a pass should leave the target settled. Other actions
				// settle it themselves, and looking again would cost a
				// whole observation. Bounded, in case the world keeps
				// changing under us.
				if actions++; d.Action == ActionRecover && actions < maxActionsPerApply {
					attempt--
					continue
				}
				return acted, nil
			}
		}
		// Whatever failed, the next attempt (and the next pass) observes
		// afresh: a remembered fact may be what Snowflake just refused.
		e.memo.forget(t.User)
		if ctx.Err() != nil {
			return result(), ctx.Err()
		}
		e.emit(ctx, t, Event{Kind: EventFailed, Action: d.Action, Token: d.Token, Attempt: attempt, Reason: "attempt failed", Err: last})
		if permanent(last) {
			break
		}
	}
	e.emit(ctx, t, Event{Kind: EventFailed, Action: d.Action, Token: d.Token, Final: true, Reason: "target failed", Err: last})
	return d, fmt.Errorf("%w: %s: %w", ErrFailed, t.ID(), last)
}

// maxActionsPerApply bounds the actions one Apply takes in a row.
const maxActionsPerApply = 4

// permanent errors will fail the same way however often they are retried
// within one apply: arguments, privileges, an administrator's act, a lost
// lock. Only classified errors are ever permanent; an unclassified one is
// retried from a fresh observation.
func permanent(err error) bool {
	for _, p := range []error{
		pat.ErrInvalidArgument, pat.ErrPermissionDenied, pat.ErrPATSession, pat.ErrNetworkPolicyRequired,
		pat.ErrTokenLimit, pat.ErrTokenDisabled, pat.ErrUserDisabled,
		ErrInvalidPolicy, ErrInvalidTarget, ErrLockLost,
	} {
		if errors.Is(err, p) {
			return true
		}
	}
	return false
}

// wait blocks for d on the engine's clock, or until ctx ends.
func (e *Engine) wait(ctx context.Context, d time.Duration) error {
	timer := e.clock.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Engine) emit(ctx context.Context, t Target, ev Event) {
	ev.Time = e.clock.Now()
	ev.Target, ev.User = t.ID(), t.User
	if ev.Token == "" {
		ev.Token = t.Token
	}
	e.meters.event(ctx, ev)
	e.events.Event(ctx, ev)
}
