package policy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/secrets"
)

// run carries out a decision's steps, in order, and nothing else. Every
// step that changes Snowflake or a store is preceded by a check that the
// target's lock is still held.
//
// Stores are independent: a store that fails a step is skipped for the
// rest of the decision and reported, while the others go on to be
// verified and promoted, so one store that is down cannot keep the
// healthy ones from getting the new secret before the old one expires.
// The next pass finds the failed store holding the old secret and copies
// the new one to it. A failed Snowflake step or a failed verification
// stops the decision at once: nothing after it would be safe.
func (e *Engine) run(ctx context.Context, t Target, o *Observed, d Decision, now time.Time, lock Lock) error {
	r := &interpreter{e: e, t: t, o: o, d: &d, now: now, lock: lock, pending: map[string]string{}, failed: map[string]error{}}
	for _, st := range d.Steps {
		if err := r.do(ctx, st); err != nil {
			return err
		}
	}
	return r.storeErrors()
}

// interpreter is the state of one run: the secret in hand and what each
// store has done with it.
type interpreter struct {
	e    *Engine
	t    Target
	o    *Observed
	d    *Decision
	now  time.Time
	lock Lock

	secret  pat.Secret // minted, or copied from a store
	value   []byte     // its encoded form, as every store gets it
	token   string     // the token it belongs to
	expires time.Time  // when that token expires
	pending map[string]string
	// promoted counts the stores that made the secret in hand current.
	promoted int
	failed   map[string]error
	order    []string // failed stores, in the order they failed
}

func (r *interpreter) do(ctx context.Context, st Step) error {
	if st.Store != "" && r.failed[st.Store] != nil || st.Destination != "" && r.failed["push:"+st.Destination] != nil {
		return nil // this store or destination failed earlier in the decision
	}
	if st.Kind != StepVerify {
		if err := r.lock.Check(ctx); err != nil {
			return err
		}
	}
	switch st.Kind {
	case StepRemoveToken:
		return r.remove(ctx, st)
	case StepRotateToken, StepAddToken:
		return r.mint(ctx, st)
	case StepStorePending:
		return r.storePending(ctx, st)
	case StepVerify:
		return r.verify(ctx)
	case StepPromote:
		return r.promote(ctx, st)
	case StepRetireVersion, StepDestroyVersion:
		return r.retire(ctx, st)
	case StepPush:
		return r.push(ctx, st)
	case StepTest:
		return r.test(ctx, st)
	}
	return fmt.Errorf("policy: no way to carry out step %q", st.Kind)
}

func (r *interpreter) remove(ctx context.Context, st Step) error {
	err := r.e.admin.Remove(ctx, r.t.User, st.Token)
	if err != nil && !errors.Is(err, pat.ErrNotFound) {
		return err
	}
	kind := EventRetired
	if r.d.Action == ActionRevokeAndRecreate {
		kind = EventRevoked
	}
	r.e.emit(ctx, r.t, Event{Kind: kind, Token: st.Token, Reason: fmt.Sprintf("removed %s: %s", st.Token, st.Why)})
	return nil
}

func (r *interpreter) mint(ctx context.Context, st Step) error {
	// Snowflake counts a token's life from the statement, which may run
	// well after the pass began (a slow pass, a stall): the expiry stored
	// with the secret is the statement's, not the plan's, so that a later
	// copy of the secret, which takes the expiry SHOW lists, writes the
	// same metadata.
	at := r.e.clock.Now()
	expires := at.Add(time.Duration(st.LifetimeDays) * Day)
	if st.Kind == StepRotateToken {
		res, err := r.e.admin.Rotate(ctx, r.t.User, st.Token, pat.RotateOptions{GraceHours: st.GraceHours})
		if err != nil {
			return err
		}
		r.secret, r.token, r.expires = res.Secret, res.TokenName, expires
		r.e.emit(ctx, r.t, Event{Kind: EventRotated, Token: st.Token, Action: r.d.Action,
			Reason: fmt.Sprintf("%s; the old secret works as %s until %s", r.d.Reason(), res.RotatedTokenName, stamp(at.Add(time.Duration(st.GraceHours)*time.Hour)))})
	} else {
		res, err := r.e.admin.Add(ctx, r.t.User, st.Token, pat.AddOptions{
			RoleRestriction:         st.RoleRestriction,
			DaysToExpiry:            st.LifetimeDays,
			Comment:                 st.Comment,
			RoleRestrictionRequired: r.o.roleRequired(),
		})
		if err != nil {
			return err
		}
		r.secret, r.token, r.expires = res.Secret, st.Token, expires
		kind := EventCreated
		if r.d.Action == ActionRotate {
			kind = EventRotated // a rotation, by a new generation
		}
		r.e.emit(ctx, r.t, Event{Kind: kind, Token: st.Token, Action: r.d.Action,
			Reason: fmt.Sprintf("added %s, expiring in %dd", st.Token, st.LifetimeDays)})
	}
	value, err := pat.EncodeStored(pat.StoredToken{
		Account: r.t.Account, User: r.t.User, TokenName: r.token, Token: r.secret,
		ExpiresAt: expires.UTC().Truncate(time.Second), RotatedAt: at.UTC().Truncate(time.Second),
	}, r.t.format())
	r.value = value
	return err
}

// copySource takes the secret in hand from the observed stored version a
// step names, in the target's canonical form: its format, its user and
// account, the token Snowflake attributes it to, no stray whitespace.
// Fields snowpat does not know are kept. Nothing is read again: the
// observation holds the decoded value.
func (r *interpreter) copySource(st Step) error {
	if r.value != nil {
		return nil
	}
	v := r.o.storeState(st.FromStore).version(st.FromVersion)
	if v == nil || v.DecodeErr != nil || v.Snowflake == nil {
		return fmt.Errorf("policy: the observed version %s of %s is gone", st.FromVersion, st.FromStore)
	}
	tok := v.Token
	tok.User, tok.TokenName, tok.WhitespaceTrimmed = r.t.User, v.Snowflake.TokenName, false
	if r.t.Account != "" {
		tok.Account = r.t.Account
	}
	if tok.ExpiresAt.IsZero() {
		if live := r.o.token(tok.TokenName); live != nil {
			tok.ExpiresAt = live.ExpiresAt.UTC().Truncate(time.Second)
		}
	}
	value, err := pat.EncodeStored(tok, r.t.format())
	if err != nil {
		return err
	}
	r.secret, r.token, r.value, r.expires = tok.Token, tok.TokenName, value, tok.ExpiresAt
	return nil
}

func (r *interpreter) storePending(ctx context.Context, st Step) error {
	if st.FromStore != "" {
		if err := r.copySource(st); err != nil {
			return err
		}
	}
	if r.value == nil {
		return errors.New("policy: a store step has no secret in hand")
	}
	s, err := r.e.store(ctx, st.Store)
	if err == nil {
		var id string
		opts := r.putOptions()
		id, err = s.PutPending(ctx, r.value, opts)
		for try := 0; try < maxRewrites && errors.Is(err, secrets.ErrConflict); try++ {
			// The key is the secret's: this secret was written before with
			// other metadata (by a pass that crashed, and whose version a
			// repair may since have retired). Write it under a key derived
			// from that one, so that a retry of this step is still
			// idempotent; repeated repairs follow the chain.
			opts.IdempotencyKey = derivedKey(opts.IdempotencyKey, "rewrite")
			id, err = s.PutPending(ctx, r.value, opts)
		}
		r.pending[st.Store] = id
	}
	if err != nil {
		return r.storeFailed(ctx, st.Store, "storing the new secret as pending", err)
	}
	r.e.emit(ctx, r.t, Event{Kind: EventStored, Token: r.token, Store: st.Store, Reason: "stored the new secret as pending"})
	return nil
}

func (r *interpreter) putOptions() *secrets.PutOptions {
	return &secrets.PutOptions{
		IdempotencyKey: idempotencyKey(r.t.User, r.value),
		Metadata: map[string]string{
			"snowflake_user": r.t.User,
			"token_name":     r.token,
			"expires_at":     r.expiresAt(),
		},
	}
}

func (r *interpreter) expiresAt() string {
	if r.expires.IsZero() {
		return ""
	}
	return r.expires.UTC().Format(time.RFC3339)
}

func (r *interpreter) verify(ctx context.Context) error {
	if len(r.pending) == 0 {
		return r.storeErrors()
	}
	if err := r.e.verify(ctx, r.t.User, r.secret); err != nil {
		return fmt.Errorf("policy: the new secret of %s did not log in: %w", r.token, err)
	}
	r.e.emit(ctx, r.t, Event{Kind: EventVerified, Token: r.token, Reason: "logged in with the new secret"})
	return nil
}

func (r *interpreter) promote(ctx context.Context, st Step) error {
	id := r.pending[st.Store]
	if id == "" {
		return nil
	}
	s, err := r.e.store(ctx, st.Store)
	if err == nil {
		err = promoteIf(ctx, s, id, st.IfCurrent)
		opts := r.putOptions()
		for try := 0; try < maxRewrites && errors.Is(err, secrets.ErrConflict) && retired(ctx, s, id); try++ {
			// The idempotency key led back to a version retired as stale
			// (by this engine's earlier repair or another engine's): write
			// the secret again under a key derived from that version, so a
			// retry of this repair stays idempotent. The derived key may
			// lead to a retired version too, after repeated repairs; each
			// one derives the next.
			opts.IdempotencyKey = derivedKey(opts.IdempotencyKey, id)
			if id, err = s.PutPending(ctx, r.value, opts); err == nil {
				err = promoteIf(ctx, s, id, st.IfCurrent)
			}
		}
	}
	if err != nil {
		return r.storeFailed(ctx, st.Store, "promoting the new secret", err)
	}
	r.promoted++
	r.e.emit(ctx, r.t, Event{Kind: EventPromoted, Token: r.token, Store: st.Store, Reason: "the new secret is current"})
	return nil
}

func (r *interpreter) retire(ctx context.Context, st Step) error {
	s, err := r.e.store(ctx, st.Store)
	verb := "retired"
	if err == nil {
		if st.Kind == StepDestroyVersion && s.SupportsDestroy() {
			verb, err = "destroyed", s.Destroy(ctx, st.Version)
		} else {
			err = s.Retire(ctx, st.Version)
		}
	}
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return r.storeFailed(ctx, st.Store, verb+" version "+st.Version, err)
	}
	r.e.emit(ctx, r.t, Event{Kind: EventRetired, Store: st.Store, Reason: fmt.Sprintf("%s version %s: %s", verb, st.Version, st.Why)})
	return nil
}

// storeFailed records a store's failure; the store is skipped from then on
// and reported when the decision ends. A cancelled context is not a store
// failure: it stops everything.
func (r *interpreter) storeFailed(ctx context.Context, url, doing string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	err = fmt.Errorf("store %s: %s: %w", url, doing, err)
	r.failed[url] = err
	r.order = append(r.order, url)
	r.e.emit(ctx, r.t, Event{Kind: EventFailed, Token: r.token, Store: url, Action: r.d.Action, Reason: doing + " failed; the other stores go on", Err: err})
	return nil
}

func (r *interpreter) storeErrors() error {
	if len(r.order) == 0 {
		return nil
	}
	errs := make([]error, len(r.order))
	for i, url := range r.order {
		errs[i] = r.failed[url]
	}
	return fmt.Errorf("policy: %d of the target's stores and destinations failed: %w", len(errs), errors.Join(errs...))
}

// push writes the secret in hand into a destination and records it. A
// destination that fails is reported and the others go on; it is pushed
// again on the next pass. A push only ever follows the promotion of the
// secret it sends, which logged in first.
func (r *interpreter) push(ctx context.Context, st Step) error {
	if st.FromStore != "" {
		if err := r.copySource(st); err != nil {
			return err
		}
	}
	if r.secret.IsZero() {
		return errors.New("policy: a push step has no secret in hand")
	}
	if r.promoted == 0 && st.FromStore == "" {
		// No store took the secret in hand as current in this decision
		// (the promotions failed, or another rotator's came first): it is
		// not the secret the stores hand out, so it is not pushed.
		return nil
	}
	rec := pushRecord{Fingerprint: fingerprint(r.t.User, r.secret), Token: r.token, At: r.e.clock.Now(), Nonce: r.e.rand.nonce()}
	if err := r.e.records.begin(ctx, r.t.ID(), st.Destination, rec); err != nil {
		// Push anyway: the dashboards matter more than the record, and
		// finish will delete the record it cannot prove.
		rec.Nonce = ""
	}
	d, err := r.e.destination(ctx, st.Destination)
	if err == nil {
		_, err = d.Push(ctx, push.Credential{Account: r.t.Account, User: r.t.User, Secret: r.secret})
	}
	if err != nil {
		return r.destinationFailed(ctx, st.Destination, "pushing the secret", err)
	}
	if err := r.e.records.finish(ctx, r.t.ID(), st.Destination, rec); err != nil {
		// The destination has the secret; only the record is missing, so
		// the worst is one more push.
		r.e.emit(ctx, r.t, Event{Kind: EventFailed, Destination: st.Destination, Reason: "recording the push failed; the destination has the secret", Err: err})
	}
	r.e.emit(ctx, r.t, Event{Kind: EventPushed, Token: r.token, Destination: st.Destination, Reason: "the destination's Snowflake connections have the current secret"})
	return nil
}

// test runs a destination's connection test where the tool has one.
func (r *interpreter) test(ctx context.Context, st Step) error {
	d, err := r.e.destination(ctx, st.Destination)
	if err != nil || !d.SupportsTest() {
		return nil // opening it failed at the push, or the tool has no test
	}
	if err := d.Test(ctx); err != nil {
		return r.destinationFailed(ctx, st.Destination, "testing the destination (a refresh)", err)
	}
	r.e.emit(ctx, r.t, Event{Kind: EventTested, Token: r.token, Destination: st.Destination, Reason: "a refresh with the pushed secret succeeded"})
	return nil
}

// destinationFailed records a destination's failure like a store's, and
// says when the old secret stops working if that is near: the
// destination's refreshes fail from then on until a push reaches it.
func (r *interpreter) destinationFailed(ctx context.Context, url, doing string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	err = fmt.Errorf("destination %s: %s: %w", url, doing, err)
	key := "push:" + url
	r.failed[key] = err
	r.order = append(r.order, key)
	reason := doing + " failed; the other destinations go on"
	if deadline := r.graceEnd(); !deadline.IsZero() {
		reason += fmt.Sprintf("; the secret it still holds stops working at %s", stamp(deadline))
	}
	r.e.emit(ctx, r.t, Event{Kind: EventFailed, Token: r.token, Destination: url, Action: r.d.Action, Reason: reason, Err: err})
	return nil
}

// graceEnd is when the secret a lagging destination still holds stops
// working: the grace after the active token replaced it.
func (r *interpreter) graceEnd() time.Time {
	if tok := r.o.token(r.token); tok != nil {
		return tok.CreatedOn.Add(r.t.Policy.Grace)
	}
	if r.token != "" {
		return r.now.Add(r.t.Policy.Grace)
	}
	return time.Time{}
}

// idempotencyKey identifies a write of one value for one user, so that a
// retried write is recognised by the store. It is a hash: the key may be
// visible (AWS shows it as the version id), the value must not be.
func idempotencyKey(user string, value []byte) string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte("snowpat/v2"), []byte(user), value} {
		h.Write(part)
		h.Write([]byte{0})
	}
	return "snowpat-" + hex.EncodeToString(h.Sum(nil))[:32]
}

// maxRewrites bounds the chain of derived keys one promotion follows.
const maxRewrites = 8

func derivedKey(key, id string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + id))
	return "snowpat-" + hex.EncodeToString(sum[:])[:32]
}

func promoteIf(ctx context.Context, s *secrets.Store, id, currentID string) error {
	if currentID != "" && s.SupportsCompareAndSwap() {
		return s.PromoteIf(ctx, id, secrets.IfCurrent(currentID))
	}
	return s.Promote(ctx, id)
}

// retired reports whether version id exists and has been retired.
func retired(ctx context.Context, s *secrets.Store, id string) bool {
	infos, err := s.List(ctx)
	if err != nil {
		return false
	}
	for _, v := range infos {
		if v.ID == id {
			return !v.Enabled
		}
	}
	return false
}

func (o *Observed) storeState(url string) *StoreState {
	for i := range o.Stores {
		if o.Stores[i].URL == url {
			return &o.Stores[i]
		}
	}
	return &StoreState{}
}

func (s *StoreState) version(id string) *StoredVersion {
	for _, v := range []*StoredVersion{s.Current, s.Pending, s.Previous} {
		if v != nil && v.ID == id {
			return v
		}
	}
	return nil
}
