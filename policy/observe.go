package policy

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// Observe gathers what Evaluate needs for one target, fresh: the user, its
// tokens, the account's rules for them, what every store holds, each
// stored secret identified by SYSTEM$DECODE_PAT. Failures are recorded in
// the result, not returned: a target that cannot be observed is planned
// as blocked.
//
// Apply observes more cheaply (see the package documentation's
// "Requests"): it reuses what rarely changes and what cannot have changed.
func (e *Engine) Observe(ctx context.Context, t Target) Observed {
	return e.observe(ctx, t, false)
}

// observe runs every independent request at once — the user's tokens, the
// stores, the push records, and the user's description and rules when
// they are not known — so that an observation costs one round trip of
// latency, plus one for decoding stored secrets it has not seen before.
// With reuse, the facts (the PAT policy in force, the granted roles) come
// from the engine's memory when younger than factsMaxAge, and
// decodes from its memory when neither the secret nor the user's token
// list changed since.
func (e *Engine) observe(ctx context.Context, t Target, reuse bool) Observed {
	var (
		o     Observed
		wg    sync.WaitGroup
		facts *userFacts
	)
	if reuse {
		facts = e.memo.facts(t.User, e.clock.Now())
	}
	if facts == nil {
		wg.Go(func() { facts = e.readFacts(ctx, t.User) })
	}
	// The user is described on every observation: a disabled or dropped
	// user must block the target before anything is sent.
	wg.Go(func() {
		if u, err := e.admin.DescribeUser(ctx, t.User); err != nil {
			o.UserErr = err
		} else {
			o.User = &u
		}
	})
	wg.Go(func() { o.Tokens, o.TokensErr = e.admin.List(ctx, t.User) })
	stages := make([]storeRead, len(t.Stores))
	for i, url := range t.Stores {
		wg.Go(func() { stages[i] = e.readStore(ctx, url) })
	}
	var recs map[string]pushRecord
	if len(t.Push) > 0 {
		// Unreadable records mean pushing again, which is harmless.
		wg.Go(func() { recs, _ = e.records.read(ctx, t.ID()) })
	}
	wg.Wait()

	if o.UserErr == nil {
		facts.fill(&o)
	}
	switch {
	case o.UserErr != nil:
		// Nothing about the tokens is trusted without the user.
		o.Tokens, o.TokensErr = nil, nil
		e.memo.forget(t.User)
	case o.TokensErr != nil:
		e.memo.forget(t.User)
	case facts.fresh:
		e.memo.keepFacts(t.User, facts, e.clock.Now())
	}

	dec := e.newDecoder(t.User, o.Tokens, o.TokensErr == nil && o.UserErr == nil, reuse)
	for i, url := range t.Stores {
		o.Stores = append(o.Stores, stages[i].state(url))
	}
	dec.decodeAll(ctx, o.Stores)
	for _, url := range t.Push {
		r := recs[url]
		o.Pushes = append(o.Pushes, PushState{URL: url, Fingerprint: r.received(), Token: r.Token, At: r.At})
	}
	return o
}

// readFacts asks Snowflake about the rules that apply to the user's
// tokens, both questions at once.
func (e *Engine) readFacts(ctx context.Context, user string) *userFacts {
	f := &userFacts{fresh: true}
	var wg sync.WaitGroup
	wg.Go(func() {
		if pp, err := e.admin.PATPolicy(ctx, user); err == nil {
			f.policy = &pp
		} else {
			f.policyErr = err
		}
	})
	wg.Go(func() {
		if roles, err := e.admin.GrantedRoles(ctx, user); err == nil {
			f.roles, f.rolesKnown = roles, true
		}
	})
	wg.Wait()
	return f
}

// storeRead is one store's stages as read, or why they could not be.
type storeRead struct {
	current, pending, previous *secrets.Version
	err                        error
}

func (e *Engine) readStore(ctx context.Context, url string) storeRead {
	s, err := e.store(ctx, url)
	if err != nil {
		return storeRead{err: err}
	}
	return readStages(ctx, s)
}

// state turns a store's stages into what Evaluate reads; the secrets are
// decoded later, by the decoder.
func (r storeRead) state(url string) StoreState {
	st := StoreState{URL: url, Err: r.err}
	if r.err != nil {
		return st
	}
	for _, slot := range []struct {
		v   *secrets.Version
		dst **StoredVersion
	}{{r.current, &st.Current}, {r.pending, &st.Pending}, {r.previous, &st.Previous}} {
		if slot.v == nil {
			continue
		}
		sv := &StoredVersion{ID: slot.v.ID, Created: slot.v.Created, Metadata: slot.v.Metadata}
		sv.Token, sv.DecodeErr = pat.DecodeStored(slot.v.Value())
		*slot.dst = sv
	}
	return st
}

// decodeAll fills Snowflake's view of every stored secret that decoded,
// asking about each distinct secret once and all of them at once. A store
// whose secret Snowflake could not be asked about (a transport or
// permission failure, not a dead secret) gets that error: it must block
// the target rather than be taken for a dead secret.
func (d *decoder) decodeAll(ctx context.Context, stores []StoreState) {
	type ask struct {
		secret pat.Secret
		res    decodeResult
		err    error
	}
	var asks []*ask
	find := func(s pat.Secret) *ask {
		for _, a := range asks {
			if a.secret.Equal(s) {
				return a
			}
		}
		return nil
	}
	visit := func(f func(st *StoreState, sv *StoredVersion)) {
		for i := range stores {
			st := &stores[i]
			if st.Err != nil {
				continue
			}
			for _, sv := range []*StoredVersion{st.Current, st.Pending, st.Previous} {
				if sv != nil && sv.DecodeErr == nil {
					f(st, sv)
				}
			}
		}
	}
	visit(func(_ *StoreState, sv *StoredVersion) {
		if find(sv.Token.Token) == nil {
			asks = append(asks, &ask{secret: sv.Token.Token})
		}
	})
	var wg sync.WaitGroup
	for _, a := range asks {
		if res, ok := d.recalled(a.secret); ok {
			a.res = res
			continue
		}
		wg.Go(func() { a.res, a.err = d.ask(ctx, a.secret) })
	}
	wg.Wait()
	visit(func(st *StoreState, sv *StoredVersion) {
		a := find(sv.Token.Token)
		if a.err != nil {
			if st.Err == nil {
				st.Err = a.err
			}
			return
		}
		sv.Snowflake, sv.SnowflakeErr = a.res.tok, a.res.err
	})
	// A store that could not be fully identified is unreadable as a whole.
	for i := range stores {
		if stores[i].Err != nil {
			stores[i].Current, stores[i].Pending, stores[i].Previous = nil, nil, nil
		}
	}
}

// ask decodes one secret with SYSTEM$DECODE_PAT and remembers the answer.
func (d *decoder) ask(ctx context.Context, secret pat.Secret) (decodeResult, error) {
	tok, err := d.e.admin.Decode(ctx, secret)
	var res decodeResult
	switch {
	case err == nil:
		res.tok = &tok
	case errors.Is(err, pat.ErrInvalidToken) || errors.Is(err, pat.ErrInvalidArgument):
		res.err = err
	default:
		return res, fmt.Errorf("decoding a stored secret: %w", err)
	}
	d.remember(secret, res)
	return res, nil
}
