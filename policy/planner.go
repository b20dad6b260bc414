package policy

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// planner turns what Evaluate decided into the steps that carry it out.
// Every predicate a step depends on lives here or in family.go, once: apply
// only interprets the steps.
type planner struct {
	now time.Time
	t   Target
	o   *Observed
	d   *Decision
}

func (p *planner) step(s Step) { p.d.Steps = append(p.d.Steps, s) }

// block makes the decision blocked, with its cause for errors.Is.
func (p *planner) block(cause error, format string, args ...any) Decision {
	p.d.Action, p.d.Due, p.d.Reason, p.d.Steps = ActionBlocked, p.now, fmt.Sprintf(format, args...), nil
	p.d.cause = cause
	return *p.d
}

func (p *planner) act(a Action, reason string) Decision {
	p.d.Action, p.d.Reason = a, reason
	if p.d.Due.IsZero() {
		p.d.Due = p.now
	}
	return *p.d
}

// revoke removes every token of the family — the active one, every
// rotated-out one, every other generation, whatever its state — and every
// pending stored version, then issues a replacement carrying the incident's
// marker, installs it, and erases the stored copies of the compromised
// secrets. Revoking is repeated as a whole until the marked replacement
// exists, so a failed or lost ADD, or a token that had already gone from
// SHOW, still ends with a marked replacement and nothing of the old family.
func (p *planner) revoke(active *pat.Token) Decision {
	t := p.t
	p.retirePending("", "")
	for i := range p.o.Tokens {
		if tok := &p.o.Tokens[i]; owns(t, tok) {
			p.step(Step{Kind: StepRemoveToken, Token: tok.Name, Why: "compromised"})
		}
	}
	name := addNames(t)[0]
	if err := p.checkAdd(name, removals(p.d.Steps)); err != nil {
		return p.block(err, "compromised, but no replacement can be issued: %v", err)
	}
	p.step(Step{Kind: StepAddToken, Token: name, LifetimeDays: t.Policy.LifetimeDays,
		RoleRestriction: t.Policy.RoleRestriction, Comment: t.newTokenComment(), Why: "replacement after incident " + t.incidentID()})
	p.install(nil)
	for _, s := range p.o.Stores {
		for _, v := range []*StoredVersion{s.Current, s.Previous} {
			if v != nil {
				p.step(Step{Kind: StepDestroyVersion, Store: s.URL, Version: v.ID, Why: "a copy of a compromised secret"})
			}
		}
	}
	what := "the tokens"
	if active != nil {
		what = active.Name + " and every other token of the target"
	}
	return p.act(ActionRevokeAndRecreate, fmt.Sprintf("compromised (incident %s%s): revoke %s now, then issue a new token", t.incidentID(), compromisedAtStamp(t), what))
}

// recover repairs a half-done rotation or a store that holds the wrong
// secret. If a store holds the working secret of a live generation, that
// secret is finished with: copied to the stores that lack it, verified and
// promoted (for blue/green, the newest such generation, a rotation in
// flight). Otherwise no store holds the active secret — it was minted and
// lost — so a new one is minted and installed. The mint keeps the grace:
// another engine that does not share this one's lock may be installing
// the secret that looked lost.
func (p *planner) recover(active *pat.Token, reason string) Decision {
	srcURL, src := p.bestStored()
	if src != nil {
		p.retirePending(srcURL, src.ID)
		p.installFrom(srcURL, src)
		return p.act(ActionRecover, reason+"; finish with the secret "+srcURL+" holds")
	}
	p.retirePending("", "")
	if err := p.mint(active, true); err != nil {
		return p.block(err, "%s; no store holds the active secret and none can be minted: %v", reason, err)
	}
	p.install(nil)
	return p.act(ActionRecover, reason+"; no store holds the active secret: mint a new one")
}

// replace makes a new generation when the active one cannot serve:
// missing, expired, disabled (with ReplaceDisabled) or unable to log in.
func (p *planner) replace(active *pat.Token, a Action, reason string) Decision {
	p.retirePending("", "")
	if err := p.mintByAdd(active); err != nil {
		return p.block(err, "%s; no new token can be added: %v", reason, err)
	}
	p.install(nil)
	return p.act(a, reason)
}

// rotate replaces the active token, which is due.
func (p *planner) rotate(active *pat.Token, why string) Decision {
	if err := p.mint(active, false); err != nil {
		return p.block(err, "%s; cannot rotate: %v", why, err)
	}
	p.install(nil)
	return p.act(ActionRotate, why)
}

// mint adds the step that makes the new secret. The rotate strategy
// ROTATEs the active token when it can keep the old secret working for the
// whole grace and already is what the policy asks for, under the target's
// own name; otherwise — blue/green, a token with less life left than the
// grace, a token whose lifetime or role the policy has since changed, a
// target still under a colour after a bridge or a strategy switch — a new
// generation is added beside the old one (for the rotate strategy, under
// the target's own name when it is free), which keeps working until it
// expires or is retired after the grace. The grace is never shortened.
//
// When the active token's secret was lost (minted, and in no store), the
// active token is rotated whatever the strategy: that keeps the lost secret
// working for the grace — another rotator may be installing it — and
// changes nothing else. And when every generation name is taken by a live
// token, rotating the active one is still better than doing nothing.
func (p *planner) mint(active *pat.Token, lost bool) error {
	t := p.t
	rotatable := active != nil && active.Status == pat.StatusActive && active.ExpiresAt.Sub(p.now) >= t.Policy.Grace &&
		policyChanged(t, active) == "" && unusableRole(t, p.o, active.RoleRestriction) == ""
	if rotatable && (lost || t.Policy.strategy() == StrategyRotate && active.Name == t.Token) {
		return p.rotateActive(active)
	}
	err := p.mintByAdd(active)
	if errors.Is(err, errNoFreeName) && rotatable {
		return p.rotateActive(active)
	}
	return err
}

func (p *planner) rotateActive(active *pat.Token) error {
	if err := p.checkLimit(1); err != nil {
		return err
	}
	p.step(Step{Kind: StepRotateToken, Token: active.Name, GraceHours: int(p.t.Policy.Grace / time.Hour),
		LifetimeDays: lifetimeDays(active), Why: "the old secret keeps working for the grace"})
	return nil
}

// errNoFreeName: every generation name is held by a live token.
var errNoFreeName = errors.New("every generation name is in use")

// mintByAdd adds a new generation under the first name the family can
// give: a free one, one whose token has lapsed (removed first), or one
// held by a young live generation — another rotator's work in flight, or a
// mint whose answer was lost — which is rotated rather than removed, so
// its secret keeps working for the grace.
func (p *planner) mintByAdd(active *pat.Token) error {
	t := p.t
	if why := unusableRole(t, p.o, t.Policy.RoleRestriction); why != "" {
		return fmt.Errorf("%w: %s; grant the role or change the policy's roleRestriction", pat.ErrRoleNotGranted, why)
	}
	if t.Policy.RoleRestriction == "" && p.o.roleRequired() {
		return fmt.Errorf("%w: the authentication policy in force for %s requires a role restriction, and the policy sets none", pat.ErrRoleRestrictionRequired, t.User)
	}
	if max := p.o.maxDays(); max > 0 && t.Policy.LifetimeDays > max {
		return fmt.Errorf("%w: the policy's lifetime of %d days exceeds the account's MAX_EXPIRY_IN_DAYS of %d", ErrInvalidPolicy, t.Policy.LifetimeDays, max)
	}
	var young *pat.Token
	for _, name := range addNames(t) {
		tok := p.o.token(name)
		switch {
		case tok == nil:
		case tok == active && tok.Status == pat.StatusActive:
			continue
		case p.lapsed(tok, active) || tok.Status == pat.StatusDisabled && t.Policy.ReplaceDisabled:
			p.step(Step{Kind: StepRemoveToken, Token: name, Why: fmt.Sprintf("%s, to free its name", describeState(p.now, tok))})
		case tok.Status == pat.StatusActive && young == nil:
			young = tok
			continue
		default:
			continue
		}
		if err := p.checkAdd(name, removals(p.d.Steps)); err != nil {
			return err
		}
		p.step(Step{Kind: StepAddToken, Token: name, LifetimeDays: t.Policy.LifetimeDays,
			RoleRestriction: t.Policy.RoleRestriction, Comment: t.newTokenComment(), Why: addWhy(p.now, active)})
		return nil
	}
	if young != nil && young.ExpiresAt.Sub(p.now) >= t.Policy.Grace {
		if err := p.checkLimit(1); err != nil {
			return err
		}
		p.step(Step{Kind: StepRotateToken, Token: young.Name, GraceHours: int(t.Policy.Grace / time.Hour),
			LifetimeDays: lifetimeDays(young), Why: "a young generation may be another rotator's work in flight: rotate it rather than remove it"})
		return nil
	}
	return fmt.Errorf("%w: %s of %s; remove the tokens snowpat did not create", errNoFreeName, strings.Join(addNames(t), ", "), t.Token)
}

// addWhy says what an added generation is for.
func addWhy(now time.Time, active *pat.Token) string {
	switch {
	case active == nil:
		return "the target's token"
	case active.Status == pat.StatusActive && !active.IsExpired(now):
		return "a new generation beside " + active.Name + ", which keeps working until it is retired after the grace"
	}
	return "replaces " + active.Name + " (" + describeState(now, active) + ")"
}

// checkAdd checks that adding token name is possible once removed tokens
// are gone.
func (p *planner) checkAdd(name string, removed int) error {
	if tok := p.o.token(name); tok != nil && !removing(p.d.Steps, name) {
		return fmt.Errorf("token %s already exists", name)
	}
	return p.checkLimit(1 - removed)
}

// checkLimit refuses a mint that would take the user past its token
// limit (disabled and rotated-out tokens count, expired ones do not), so
// that it is reported as such instead of failing in Snowflake.
func (p *planner) checkLimit(added int) error {
	limit := p.t.Policy.MaxTokens
	if limit == 0 {
		limit = 15
	}
	if n := countingTokens(p.now, p.o) + added; n > limit {
		return fmt.Errorf("%w: user %s would have %d of %d tokens (disabled and rotated-out tokens count); remove the ones no one uses", pat.ErrTokenLimit, p.t.User, n, limit)
	}
	return nil
}

func countingTokens(now time.Time, o *Observed) int {
	n := 0
	for i := range o.Tokens {
		if !o.Tokens[i].IsExpired(now) {
			n++
		}
	}
	return n
}

func removals(steps []Step) int {
	n := 0
	for _, s := range steps {
		if s.Kind == StepRemoveToken {
			n++
		}
	}
	return n
}

func removing(steps []Step, name string) bool {
	for _, s := range steps {
		if s.Kind == StepRemoveToken && s.Token == name {
			return true
		}
	}
	return false
}

func describeState(now time.Time, tok *pat.Token) string {
	switch {
	case tok.IsExpired(now):
		return "expired"
	case tok.Status == pat.StatusDisabled:
		return "disabled"
	}
	return "idle past its grace"
}

// install writes the secret in hand to every store as pending, verifies
// it, and promotes it where it was written. from is the stored version the
// secret is copied from, nil for a minted one; stores whose current
// version already holds it as the target needs are left alone.
func (p *planner) install(from *StoredVersion) {
	p.installFromURL("", from)
}

func (p *planner) installFrom(url string, from *StoredVersion) { p.installFromURL(url, from) }

func (p *planner) installFromURL(fromURL string, from *StoredVersion) {
	var name string
	if from != nil {
		name = from.Snowflake.TokenName
	}
	first := len(p.d.Steps)
	for _, s := range p.o.Stores {
		if from != nil && s.Current != nil && s.Current.mismatch(p.t, name) == "" && s.Current.Token.Token.Equal(from.Token.Token) {
			continue
		}
		st := Step{Kind: StepStorePending, Store: s.URL}
		if from != nil {
			st.FromStore, st.FromVersion = fromURL, from.ID
		}
		p.step(st)
	}
	if len(p.d.Steps) == first {
		return // every store holds it already
	}
	p.step(Step{Kind: StepVerify, Why: "as " + p.t.User + ", as a consumer would"})
	for _, st := range p.d.Steps[first:] {
		if st.Kind != StepStorePending {
			continue
		}
		pr := Step{Kind: StepPromote, Store: st.Store}
		if c := p.o.storeState(st.Store).Current; c != nil {
			pr.IfCurrent = c.ID
		}
		p.step(pr)
	}
	var secret pat.Secret
	if from != nil {
		secret = from.Token.Token
	}
	p.pushes("", nil, secret) // the secret in hand, now promoted
}

// pushes adds a push and a test for every destination that has not
// received secret (all of them for a secret just minted, secret zero),
// after the steps that promote it: a destination only ever receives a
// secret that has logged in. fromURL and from name the stored version the
// secret is taken from when no earlier step put one in hand.
func (p *planner) pushes(fromURL string, from *StoredVersion, secret pat.Secret) {
	var fp string
	if !secret.IsZero() {
		fp = fingerprint(p.t.User, secret)
	}
	for _, d := range p.o.Pushes {
		if fp != "" && d.Fingerprint == fp {
			continue
		}
		st := Step{Kind: StepPush, Destination: d.URL, Why: "so that its refreshes log in with the new secret"}
		if from != nil {
			st.FromStore, st.FromVersion = fromURL, from.ID
			st.Why = "it has not received the current secret"
		}
		p.step(st)
		p.step(Step{Kind: StepTest, Destination: d.URL})
	}
}

// currentStored is the secret the stores hold as current, with the store
// it is read from, once they agree (Evaluate checks that first).
func (p *planner) currentStored() (string, *StoredVersion) {
	for _, s := range p.o.Stores {
		if s.Current != nil && s.Current.DecodeErr == nil {
			return s.URL, s.Current
		}
	}
	return "", nil
}

// behind lists the destinations that have not received the current stored
// secret.
func (p *planner) behind() []PushState {
	_, cur := p.currentStored()
	if cur == nil {
		return nil
	}
	fp := fingerprint(p.t.User, cur.Token.Token)
	var out []PushState
	for _, d := range p.o.Pushes {
		if d.Fingerprint != fp {
			out = append(out, d)
		}
	}
	return out
}

// bestStored finds the stored secret to finish with: a current or pending
// version holding the working secret of a live generation of the target,
// the newest generation first, and within it a current version first.
func (p *planner) bestStored() (string, *StoredVersion) {
	var (
		url     string
		best    *StoredVersion
		bestTok *pat.Token
	)
	for _, s := range p.o.Stores {
		for _, v := range []*StoredVersion{s.Current, s.Pending} {
			if v == nil || !v.secretWorks(p.t) || !isGeneration(p.t, v.Snowflake.TokenName) {
				continue
			}
			tok := p.o.token(v.Snowflake.TokenName)
			if tok == nil || tok.Status != pat.StatusActive || unusableRole(p.t, p.o, tok.RoleRestriction) != "" {
				continue
			}
			if bestTok == nil || tok.CreatedOn.After(bestTok.CreatedOn) {
				url, best, bestTok = s.URL, v, tok
			}
		}
	}
	return url, best
}

// retirePending retires every store's pending version except version
// keepID of store keepURL, so that a dead half-rotation cannot be promoted
// later. (Version ids are the store's own: the same id in two stores names
// two versions.)
func (p *planner) retirePending(keepURL, keepID string) {
	for _, s := range p.o.Stores {
		if s.Pending != nil && (s.URL != keepURL || s.Pending.ID != keepID) {
			p.step(Step{Kind: StepRetireVersion, Store: s.URL, Version: s.Pending.ID, Why: "a stale pending secret"})
		}
	}
}

// retire adds the clean-up of finished rotations and describes it:
// rotated-out tokens that have expired, generations idle past their grace,
// and stored previous versions whose secret no longer works (destroyed
// rather than retired while an incident is declared).
func (p *planner) retire(active *pat.Token) string {
	var parts []string
	// A destination that has not received the active secret still logs in
	// with an older one: the generation holding it stays until it expires.
	lagging := len(p.behind()) > 0
	for i := range p.o.Tokens {
		tok := &p.o.Tokens[i]
		if lagging && !tok.IsExpired(p.now) {
			continue
		}
		if owns(p.t, tok) && p.lapsed(tok, active) {
			p.step(Step{Kind: StepRemoveToken, Token: tok.Name, Why: describeState(p.now, tok)})
			parts = append(parts, fmt.Sprintf("token %s is %s", tok.Name, describeState(p.now, tok)))
		}
	}
	for _, s := range p.o.Stores {
		if v := s.Previous; v != nil && !v.works(p.t) {
			kind := StepRetireVersion
			if p.t.Compromised {
				kind = StepDestroyVersion
			}
			p.step(Step{Kind: kind, Store: s.URL, Version: v.ID, Why: "the previous secret no longer works"})
			parts = append(parts, s.URL+" keeps a previous secret that no longer works")
		}
	}
	return strings.Join(parts, "; ")
}
