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
// carries out the decision. A failed attempt is retried after a backoff,
// each time from a fresh observation, because every step is idempotent
// and the state it leaves is recognisable; after Retry.Attempts the
// target is marked failed (ErrFailed) and a final failed event raised.
// After a successful recover Apply looks again, so that a pass leaves the
// target settled (a repair may leave the rotation it interrupted still
// due). Apply returns the first decision it acted on, else its last.
func (e *Engine) Apply(ctx context.Context, t Target) (Decision, error) {
	if err := t.Validate(); err != nil {
		return Decision{Target: t.ID(), Action: ActionBlocked, Reason: err.Error()}, err
	}
	unlock, err := e.locker.Lock(ctx, t.ID())
	if err != nil {
		return Decision{Target: t.ID(), Action: ActionBlocked, Reason: "another rotator holds the lock"}, err
	}
	defer unlock()

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
			select {
			case <-e.afterFn(e.retry.backoff(attempt - 1)):
			case <-ctx.Done():
				return result(), ctx.Err()
			}
		}
		o := e.Observe(ctx, t)
		now := e.clock.Now()
		d = Evaluate(now, t, o)
		if attempt == 1 || last == nil {
			e.emit(ctx, t, Event{Kind: EventPlanned, Action: d.Action, Token: d.Token, Reason: d.Reason})
			if !d.ExpiresAt.IsZero() {
				e.meters.expiry(ctx, t.ID(), d.ExpiresAt.Sub(now).Seconds())
			}
		}
		switch {
		case d.Action == ActionWarn:
			e.emit(ctx, t, Event{Kind: EventExpiring, Token: d.Token, Reason: d.Reason})
			return result(), nil
		case d.Action == ActionBlocked:
			last = errors.New(d.Reason)
		case !d.Actionable():
			return result(), nil
		default:
			last = e.act(ctx, t, o, d, now)
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
		if ctx.Err() != nil {
			return result(), ctx.Err()
		}
		e.emit(ctx, t, Event{Kind: EventFailed, Action: d.Action, Token: d.Token, Attempt: attempt, Reason: "attempt failed", Err: last.Error()})
		if permanent(last) {
			break
		}
	}
	e.emit(ctx, t, Event{Kind: EventFailed, Action: d.Action, Token: d.Token, Final: true, Reason: "target failed", Err: last.Error()})
	return d, fmt.Errorf("%w: %s: %w", ErrFailed, t.ID(), last)
}

// maxActionsPerApply bounds the actions one Apply takes in a row.
const maxActionsPerApply = 4

// permanent errors will fail the same way however often they are retried.
func permanent(err error) bool {
	return errors.Is(err, pat.ErrInvalidArgument) || errors.Is(err, pat.ErrPermissionDenied) ||
		errors.Is(err, pat.ErrPATSession) || errors.Is(err, pat.ErrNetworkPolicyRequired)
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

func (e *Engine) act(ctx context.Context, t Target, o Observed, d Decision, now time.Time) error {
	switch d.Action {
	case ActionCreate:
		return e.create(ctx, t, o, now, "")
	case ActionRecreate:
		return e.recreate(ctx, t, o, now)
	case ActionRevokeAndRecreate:
		return e.revoke(ctx, t, o, now)
	case ActionRotate:
		return e.rotate(ctx, t, o, now, d)
	case ActionRecover:
		return e.recover(ctx, t, o, now)
	case ActionRetire:
		return e.retire(ctx, t, o, now)
	}
	return fmt.Errorf("policy: no way to apply action %q", d.Action)
}

// create adds the target's first token (for blue/green, the first free
// generation name) and installs its secret.
func (e *Engine) create(ctx context.Context, t Target, o Observed, now time.Time, comment string) error {
	name := generationNames(t)[0]
	if len(generationNames(t)) > 1 && o.token(name) != nil {
		name = generationNames(t)[1]
	}
	res, err := e.admin.Add(ctx, t.User, name, pat.AddOptions{
		RoleRestriction:         t.Policy.RoleRestriction,
		DaysToExpiry:            t.Policy.LifetimeDays,
		Comment:                 comment,
		RoleRestrictionRequired: o.User != nil && o.User.Type == "SERVICE",
	})
	if err != nil {
		return err
	}
	e.emit(ctx, t, Event{Kind: EventCreated, Token: name, Reason: fmt.Sprintf("added %s, expiring in %dd", name, t.Policy.LifetimeDays)})
	return e.install(ctx, t, o, res.Secret, name, now.Add(t.Policy.lifetime()), now, nil)
}

// recreate replaces a token whose secret no longer works (expired,
// disabled, removed): nothing that works can be lost, so the dead token
// is removed and a new one added.
func (e *Engine) recreate(ctx context.Context, t Target, o Observed, now time.Time) error {
	for _, n := range generationNames(t) {
		if tok := o.token(n); tok != nil && tok.Status != pat.StatusActive {
			if err := e.admin.Remove(ctx, t.User, n); err != nil && !errors.Is(err, pat.ErrNotFound) {
				return err
			}
			o = withoutToken(o, n)
			e.emit(ctx, t, Event{Kind: EventRetired, Token: n, Reason: fmt.Sprintf("removed %s (%s)", n, tok.Status)})
		}
	}
	return e.create(ctx, t, o, now, "")
}

// revoke removes a compromised token and every rotated-out secret of it at
// once, then issues a replacement marked so that the compromised flag does
// not revoke it again, and retires the compromised stored versions.
func (e *Engine) revoke(ctx context.Context, t Target, o Observed, now time.Time) error {
	names := generationNames(t)
	for _, tok := range o.Tokens {
		if contains(names, tok.Name) || contains(names, tok.RotatedTo) {
			if err := e.admin.Remove(ctx, t.User, tok.Name); err != nil && !errors.Is(err, pat.ErrNotFound) {
				return err
			}
			o = withoutToken(o, tok.Name)
			e.emit(ctx, t, Event{Kind: EventRevoked, Token: tok.Name, Reason: "removed compromised token " + tok.Name})
		}
	}
	comment := "snowpat: replaced after a compromise " + incidentMarker
	if err := e.create(ctx, t, o, now, comment); err != nil {
		return err
	}
	return e.retirePrevious(ctx, t)
}

// rotate replaces a token that is due. With the rotate strategy Snowflake
// keeps the old secret working for the grace, capped at what the old token
// has left; with blue/green the next generation is added beside it.
func (e *Engine) rotate(ctx context.Context, t Target, o Observed, now time.Time, d Decision) error {
	active := activeToken(t, o)
	if active == nil {
		return errors.New("policy: no active token to rotate")
	}
	if t.Policy.strategy() == StrategyBlueGreen {
		next := generationNames(t)[0]
		if next == active.Name {
			next = generationNames(t)[1]
		}
		if tok := o.token(next); tok != nil {
			if tok.Status == pat.StatusActive && now.Sub(tok.CreatedOn) < t.Policy.Grace {
				// A generation this young may be another engine's rotation
				// in flight: rotate it, which keeps its secret working for
				// the grace, rather than remove it.
				res, err := e.admin.Rotate(ctx, t.User, next, rotateOptions(t.Policy.Grace))
				if err != nil {
					return err
				}
				e.emit(ctx, t, Event{Kind: EventRotated, Token: next, Action: ActionRotate,
					Reason: fmt.Sprintf("%s; rotated the young generation %s beside %s", d.Reason, next, active.Name)})
				return e.install(ctx, t, o, res.Secret, next, now.Add(tok.ExpiresAt.Sub(tok.CreatedOn)), now, nil)
			}
			if err := e.admin.Remove(ctx, t.User, next); err != nil && !errors.Is(err, pat.ErrNotFound) {
				return err
			}
			o = withoutToken(o, next)
		}
		res, err := e.admin.Add(ctx, t.User, next, pat.AddOptions{
			RoleRestriction: t.Policy.RoleRestriction, DaysToExpiry: t.Policy.LifetimeDays,
			RoleRestrictionRequired: o.User != nil && o.User.Type == "SERVICE",
		})
		if err != nil {
			return err
		}
		e.emit(ctx, t, Event{Kind: EventRotated, Token: next, Action: ActionRotate,
			Reason: fmt.Sprintf("%s; added generation %s beside %s", d.Reason, next, active.Name)})
		return e.install(ctx, t, o, res.Secret, next, now.Add(t.Policy.lifetime()), now, nil)
	}
	grace := t.Policy.Grace
	if left := active.ExpiresAt.Sub(now).Truncate(time.Hour); grace > left {
		grace = max(left, 0)
	}
	res, err := e.admin.Rotate(ctx, t.User, active.Name, rotateOptions(grace))
	if err != nil {
		return err
	}
	e.emit(ctx, t, Event{Kind: EventRotated, Token: active.Name, Action: ActionRotate,
		Reason: fmt.Sprintf("%s; the old secret works as %s until %s", d.Reason, res.RotatedTokenName, stamp(now.Add(grace)))})
	return e.install(ctx, t, o, res.Secret, res.TokenName, now.Add(active.ExpiresAt.Sub(active.CreatedOn)), now, nil)
}

func rotateOptions(grace time.Duration) pat.RotateOptions {
	if grace <= 0 {
		return pat.RotateOptions{ExpireImmediately: true}
	}
	return pat.RotateOptions{GraceHours: int(grace / time.Hour)}
}

// recover repairs a half-done rotation or a store that holds the wrong
// secret. If any store holds the active token's secret, that secret is
// finished: copied to the other stores, verified and promoted. Otherwise
// no store holds the active secret, so a new one is minted by rotating and
// installed. The rotation keeps the policy's grace even though the lost
// secret is in no store: another engine that does not share this one's
// lock may be installing it right now, and cutting it off would leave
// that engine's stores with a dead secret.
func (e *Engine) recover(ctx context.Context, t Target, o Observed, now time.Time) error {
	active := activeToken(t, o)
	if active == nil || active.Status != pat.StatusActive {
		return e.recreate(ctx, t, o, now)
	}
	// The secret to finish with: one a store holds that Snowflake calls the
	// active secret of a live generation — for blue/green the newest such
	// generation, which is a rotation in flight.
	var (
		best    *StoredVersion
		bestTok *pat.Token
		bestURL string
	)
	names := generationNames(t)
	for _, st := range o.Stores {
		for _, v := range []*StoredVersion{st.Current, st.Pending} {
			if v == nil || v.DecodeErr != nil || v.Snowflake == nil || v.Snowflake.State != string(pat.StatusActive) ||
				!contains(names, v.Snowflake.TokenName) {
				continue
			}
			tok := o.token(v.Snowflake.TokenName)
			if tok == nil || tok.Status != pat.StatusActive {
				continue
			}
			if bestTok == nil || tok.CreatedOn.After(bestTok.CreatedOn) {
				best, bestTok, bestURL = v, tok, st.URL
			}
		}
	}
	if best != nil {
		s, err := e.store(ctx, bestURL)
		if err != nil {
			return err
		}
		full, err := s.ByID(ctx, best.ID)
		if err != nil {
			return err
		}
		if err := e.retireStalePending(ctx, t, o, best.Token.Token); err != nil {
			return err
		}
		if err := e.install(ctx, t, o, best.Token.Token, bestTok.Name, best.Token.ExpiresAt, now, full.Value()); err != nil {
			return err
		}
		e.emit(ctx, t, Event{Kind: EventRecovered, Token: bestTok.Name, Reason: "finished with the secret " + bestURL + " held"})
		return nil
	}
	if err := e.retireStalePending(ctx, t, o, pat.Secret{}); err != nil {
		return err
	}
	grace := t.Policy.Grace
	if left := active.ExpiresAt.Sub(now).Truncate(time.Hour); grace > left {
		grace = max(left, 0)
	}
	res, err := e.admin.Rotate(ctx, t.User, active.Name, rotateOptions(grace))
	if err != nil {
		return err
	}
	if err := e.install(ctx, t, o, res.Secret, res.TokenName, now.Add(active.ExpiresAt.Sub(active.CreatedOn)), now, nil); err != nil {
		return err
	}
	e.emit(ctx, t, Event{Kind: EventRecovered, Token: active.Name, Reason: "no store held the active secret; rotated again and installed the new one"})
	return nil
}

// retireStalePending retires pending versions that do not hold keep, so a
// dead half-rotation cannot be promoted later.
func (e *Engine) retireStalePending(ctx context.Context, t Target, o Observed, keep pat.Secret) error {
	for _, st := range o.Stores {
		p := st.Pending
		if p == nil || (p.DecodeErr == nil && !keep.IsZero() && p.Token.Token.Equal(keep)) {
			continue
		}
		s, err := e.store(ctx, st.URL)
		if err != nil {
			return err
		}
		if err := s.Retire(ctx, p.ID); err != nil {
			return err
		}
		e.emit(ctx, t, Event{Kind: EventRetired, Store: st.URL, Reason: "retired a stale pending secret"})
	}
	return nil
}

// retire cleans up after rotations whose grace has passed.
func (e *Engine) retire(ctx context.Context, t Target, o Observed, now time.Time) error {
	names := generationNames(t)
	for _, tok := range o.Tokens {
		if tok.IsRotated() && contains(names, tok.RotatedTo) && tok.Status == pat.StatusExpired {
			if err := e.admin.Remove(ctx, t.User, tok.Name); err != nil && !errors.Is(err, pat.ErrNotFound) {
				return err
			}
			e.emit(ctx, t, Event{Kind: EventRetired, Token: tok.Name, Reason: "removed lapsed rotated-out token " + tok.Name})
		}
	}
	if idle := idleGeneration(now, t, o); idle != "" && t.Policy.strategy() == StrategyBlueGreen {
		if err := e.admin.Remove(ctx, t.User, idle); err != nil && !errors.Is(err, pat.ErrNotFound) {
			return err
		}
		e.emit(ctx, t, Event{Kind: EventRetired, Token: idle, Reason: "removed idle generation " + idle})
	}
	for _, st := range o.Stores {
		if p := st.Previous; p != nil && (p.Snowflake == nil || p.Snowflake.State != string(pat.StatusActive)) {
			s, err := e.store(ctx, st.URL)
			if err != nil {
				return err
			}
			if err := s.Retire(ctx, p.ID); err != nil {
				return err
			}
			e.emit(ctx, t, Event{Kind: EventRetired, Store: st.URL, Reason: "retired the previous stored secret"})
		}
	}
	return nil
}

// retirePrevious retires every store's previous version (after a
// revocation, the compromised secret).
func (e *Engine) retirePrevious(ctx context.Context, t Target) error {
	for _, url := range t.Stores {
		s, err := e.store(ctx, url)
		if err != nil {
			return err
		}
		infos, err := s.List(ctx)
		if err != nil {
			return err
		}
		for _, v := range infos {
			if v.Stage.String() == "previous" {
				if err := s.Retire(ctx, v.ID); err != nil {
					return err
				}
				e.emit(ctx, t, Event{Kind: EventRetired, Store: url, Reason: "retired the compromised stored secret"})
			}
		}
	}
	return nil
}

func withoutToken(o Observed, name string) Observed {
	out := o
	out.Tokens = nil
	for _, tok := range o.Tokens {
		if tok.Name != name {
			out.Tokens = append(out.Tokens, tok)
		}
	}
	return out
}
