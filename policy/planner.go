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
//
// The planner writes into the decision it is given and builds no string on
// the paths a pass mostly takes — nothing due, a rotation — beyond those
// built (see built) for the target on an earlier evaluation into the same
// decision.
type planner struct {
	now time.Time
	t   *Target
	o   *Observed
	d   *Decision
	// keep: d is the caller's to reuse, so built strings are kept in it.
	keep bool
	// lag caches lagging: 0 unknown, 1 no, 2 yes.
	lag uint8
	// life is lifetimeDays(lifeOf), which a rotation asks three times.
	lifeOf *pat.Token
	life   int
}

// lifetime is lifetimeDays(tok), worked out once per token.
func (p *planner) lifetime(tok *pat.Token) int {
	if tok != p.lifeOf {
		p.lifeOf, p.life = tok, lifetimeDays(tok)
	}
	return p.life
}

func (p *planner) step(s Step) { *p.add(s.Kind) = s }

// firstSteps is the room a decision's first step makes for the rest: a
// rotation with one store takes four steps, with two six.
const firstSteps = 6

// add appends a step of kind and returns it, to be filled in before the
// next is added. A Step is large: on the paths a pass takes often,
// filling it in place costs half of building it aside and copying it in.
func (p *planner) add(kind StepKind) *Step {
	n := len(p.d.Steps)
	switch {
	case n < cap(p.d.Steps):
		p.d.Steps = p.d.Steps[:n+1]
		p.d.Steps[n] = Step{Kind: kind}
	case n == 0:
		p.d.Steps = append(make([]Step, 0, firstSteps), Step{Kind: kind})
	default:
		p.d.Steps = append(p.d.Steps, Step{Kind: kind})
	}
	return &p.d.Steps[n]
}

// maxBuilt bounds the strings a decision keeps for its target: a verify
// step's reason, two generation names, an added generation's reason, and
// room for a strategy switch.
const maxBuilt = 8

// concat returns the parts joined, reusing a string built for the target
// on an earlier evaluation into the same decision, and keeping a new one
// for the next (bounded by maxBuilt; past that it is only built).
func (p *planner) concat(parts ...string) string {
	n := 0
	for _, s := range parts {
		n += len(s)
	}
next:
	for _, b := range p.d.built {
		if len(b) != n {
			continue
		}
		i := 0
		for _, s := range parts {
			if b[i:i+len(s)] != s {
				continue next
			}
			i += len(s)
		}
		return b
	}
	s := strings.Join(parts, "")
	if p.keep && len(p.d.built) < maxBuilt {
		if p.d.built == nil {
			p.d.built = make([]string, 0, maxBuilt)
		}
		p.d.built = append(p.d.built, s)
	}
	return s
}

// block makes the decision blocked, with its cause for errors.Is, and
// words its reason at once: blocked decisions are rare and carry an error.
func (p *planner) block(cause error, format string, args ...any) {
	p.d.Action, p.d.Due, p.d.why = ActionBlocked, p.now, textReason(fmt.Sprintf(format, args...))
	if p.keep {
		p.d.Steps = p.d.Steps[:0]
	} else {
		p.d.Steps = nil
	}
	p.d.cause = cause
}

func (p *planner) act(a Action, why reason) {
	p.d.Action, p.d.why = a, why
	if p.d.Due.IsZero() {
		p.d.Due = p.now
	}
}

// revoke removes every token of the family — the active one, every
// rotated-out one, every other generation, whatever its state — and every
// pending stored version, then issues a replacement carrying the incident's
// marker, installs it, and erases the stored copies of the compromised
// secrets. Revoking is repeated as a whole until the marked replacement
// exists, so a failed or lost ADD, or a token that had already gone from
// SHOW, still ends with a marked replacement and nothing of the old family.
func (p *planner) revoke(active *pat.Token) {
	t := p.t
	p.retirePending("", "")
	for i := range p.o.Tokens {
		if tok := &p.o.Tokens[i]; owns(t, tok) {
			p.step(Step{Kind: StepRemoveToken, Token: tok.Name, Why: "compromised"})
		}
	}
	name := t.Token + generationSuffixes(t)[0]
	if err := p.checkAdd(name, removals(p.d.Steps)); err != nil {
		p.block(err, "compromised, but no replacement can be issued: %v", err)
		return
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
	p.act(ActionRevokeAndRecreate, textReason(fmt.Sprintf("compromised (incident %s%s): revoke %s now, then issue a new token", t.incidentID(), compromisedAtStamp(t), what)))
}

// recover repairs a half-done rotation or a store that holds the wrong
// secret. If a store holds the working secret of a live generation, that
// secret is finished with: copied to the stores that lack it, verified and
// promoted (for blue/green, the newest such generation, a rotation in
// flight). Otherwise no store holds the active secret — it was minted and
// lost — so a new one is minted and installed. The mint keeps the grace:
// another engine that does not share this one's lock may be installing
// the secret that looked lost.
func (p *planner) recover(active *pat.Token, why string) {
	srcURL, src := p.bestStored()
	if src != nil {
		p.retirePending(srcURL, src.ID)
		p.installFrom(srcURL, src)
		p.act(ActionRecover, textReason(why+"; finish with the secret "+srcURL+" holds"))
		return
	}
	p.retirePending("", "")
	if err := p.mint(active, true); err != nil {
		p.block(err, "%s; no store holds the active secret and none can be minted: %v", why, err)
		return
	}
	p.install(nil)
	p.act(ActionRecover, textReason(why+"; no store holds the active secret: mint a new one"))
}

// replace makes a new generation when the active one cannot serve:
// missing, expired, disabled (with ReplaceDisabled) or unable to log in.
func (p *planner) replace(active *pat.Token, a Action, why string) {
	p.retirePending("", "")
	if err := p.mintByAdd(active); err != nil {
		p.block(err, "%s; no new token can be added: %v", why, err)
		return
	}
	p.install(nil)
	p.act(a, textReason(why))
}

// rotate replaces the active token, which is due; the decision's reason
// holds why (setDue, and what of the policy changed).
func (p *planner) rotate(active *pat.Token) {
	if err := p.mint(active, false); err != nil {
		p.block(err, "%s; cannot rotate: %v", p.d.why.rotateText(), err)
		return
	}
	p.install(nil)
	p.d.why.kind = reasonRotate
	p.act(ActionRotate, p.d.why)
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
		!policyDiffers(t, active, p.lifetime(active)) && unusableRole(t, p.o, active.RoleRestriction) == ""
	if rotatable && (lost || t.Policy.strategy() == StrategyRotate && active.Name == t.Token) {
		return p.rotateActive(active)
	}
	err := p.mintByAdd(active)
	if errors.Is(err, errNoFreeName) && rotatable {
		return p.rotateActive(active)
	}
	if errors.Is(err, errNoFreeName) && active != nil && active.Status == pat.StatusActive &&
		unusableRole(t, p.o, active.RoleRestriction) == "" && active.ExpiresAt.After(p.now) {
		// The active token will expire within the grace and no name is
		// free for a new generation (an unreadable store keeps the other
		// one from being removed): left alone, every store is left with a
		// dead secret when it expires. Rotating it keeps the old secret
		// for the whole hours it has left — all Snowflake allows — and
		// gives the stores a working one now.
		return p.rotateActiveFor(active, int(active.ExpiresAt.Sub(p.now)/time.Hour),
			"the old secret keeps working for the whole hours it has left: no name is free for a new generation")
	}
	return err
}

func (p *planner) rotateActive(active *pat.Token) error {
	return p.rotateActiveFor(active, int(p.t.Policy.Grace/time.Hour), "the old secret keeps working for the grace")
}

func (p *planner) rotateActiveFor(active *pat.Token, graceHours int, why string) error {
	if err := p.checkLimit(1); err != nil {
		return err
	}
	st := p.add(StepRotateToken)
	st.Token, st.GraceHours, st.LifetimeDays = active.Name, graceHours, p.lifetime(active)
	st.Why = why
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
	for _, suffix := range generationSuffixes(t) {
		tok := p.o.generation(t, suffix)
		var name string
		switch {
		case tok == nil:
			name = p.concat(t.Token, suffix)
		case tok == active && tok.Status == pat.StatusActive:
			continue
		case p.lapsed(tok, active) || tok.Status == pat.StatusDisabled && t.Policy.ReplaceDisabled:
			name = tok.Name
			p.step(Step{Kind: StepRemoveToken, Token: name, Why: freeWhy(p.now, tok)})
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
			RoleRestriction: t.Policy.RoleRestriction, Comment: t.newTokenComment(), Why: p.addWhy(active)})
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
func (p *planner) addWhy(active *pat.Token) string {
	switch {
	case active == nil:
		return "the target's token"
	case active.Status == pat.StatusActive && !expired(active, p.now):
		return p.concat("a new generation beside ", active.Name, ", which keeps working until it is retired after the grace")
	}
	return p.concat("replaces ", active.Name, " (", describeState(p.now, active), ")")
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
		if !expired(&o.Tokens[i], now) {
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
	case expired(tok, now):
		return "expired"
	case tok.Status == pat.StatusDisabled:
		return "disabled"
	}
	return "idle past its grace"
}

// freeWhy is describeState's reason for removing a token to free its name,
// one constant per state.
func freeWhy(now time.Time, tok *pat.Token) string {
	switch {
	case expired(tok, now):
		return "expired, to free its name"
	case tok.Status == pat.StatusDisabled:
		return "disabled, to free its name"
	}
	return "idle past its grace, to free its name"
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
		st := p.add(StepStorePending)
		st.Store = s.URL
		if from != nil {
			st.FromStore, st.FromVersion = fromURL, from.ID
		}
	}
	if len(p.d.Steps) == first {
		return // every store holds it already
	}
	why := p.verifyWhy()
	p.add(StepVerify).Why = why
	for i, n := first, len(p.d.Steps); i < n; i++ {
		if p.d.Steps[i].Kind != StepStorePending {
			continue
		}
		store := p.d.Steps[i].Store
		pr := p.add(StepPromote)
		pr.Store = store
		if c := p.o.storeState(store).Current; c != nil {
			pr.IfCurrent = c.ID
		}
	}
	var secret pat.Secret
	if from != nil {
		secret = from.Token.Token
	}
	p.pushes("", nil, secret) // the secret in hand, now promoted
}

// verifyWhy is the reason of a verify step: as the target's user, as a
// consumer would. A decision the caller keeps remembers it with the user
// it names, so that the next evaluation of the same target into it finds
// it without reading it: the user is the string the target holds, which
// compares equal at once when it is the same string as last time.
func (p *planner) verifyWhy() string {
	d := p.d
	if d.verifyWhy != "" && d.verifyUser == p.t.User {
		return d.verifyWhy
	}
	why := p.concat("as ", p.t.User, ", as a consumer would")
	if p.keep {
		d.verifyWhy, d.verifyUser = why, p.t.User
	}
	return why
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

// lagging reports whether a destination has not received the current
// stored secret. A target without destinations has nothing to fingerprint.
func (p *planner) lagging() bool {
	if p.lag == 0 {
		p.lag = 1
		if len(p.o.Pushes) == 0 {
			return false
		}
		if _, cur := p.currentStored(); cur != nil {
			fp := fingerprint(p.t.User, cur.Token.Token)
			for _, d := range p.o.Pushes {
				if d.Fingerprint != fp {
					p.lag = 2
					break
				}
			}
		}
	}
	return p.lag == 2
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

// retire adds the clean-up of finished rotations: rotated-out tokens that
// have expired, generations idle past their grace, and stored previous
// versions whose secret no longer works (destroyed rather than retired
// while an incident is declared). The reason is worded from these steps.
func (p *planner) retire(active *pat.Token) {
	// A destination that has not received the active secret still logs in
	// with an older one: the generation holding it stays until it expires.
	lagging := p.lagging()
	for i := range p.o.Tokens {
		tok := &p.o.Tokens[i]
		if lagging && !expired(tok, p.now) {
			continue
		}
		if p.lapsed(tok, active) && owns(p.t, tok) {
			p.step(Step{Kind: StepRemoveToken, Token: tok.Name, Why: describeState(p.now, tok)})
		}
	}
	for i := range p.o.Stores {
		if s := &p.o.Stores[i]; s.Previous != nil && !s.Previous.works(p.t) {
			kind := StepRetireVersion
			if p.t.Compromised {
				kind = StepDestroyVersion
			}
			p.step(Step{Kind: kind, Store: s.URL, Version: s.Previous.ID, Why: "the previous secret no longer works"})
		}
	}
}
