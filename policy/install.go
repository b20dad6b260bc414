package policy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// install is the crash-safe tail of every change: the new secret is
// written as pending to every store, verified by a real login, and only
// then promoted to current, store by store, with compare-and-swap on the
// current version where the store supports it. Each step is idempotent:
// the write carries an idempotency key derived from the secret, a store
// that already holds the secret as current is skipped, and promoting the
// current version is a no-op. So a crash or a failure anywhere leaves a
// state the next observation recognises — a pending version somewhere, or
// a store whose current secret is not the active token's — and recover
// finishes the job with the same secret.
//
// raw, when not nil, is the exact stored value to write (copied from
// another store), so that every store ends up byte-for-byte the same.
func (e *Engine) install(ctx context.Context, t Target, o Observed, secret pat.Secret, tokenName string, expiresAt, now time.Time, raw []byte) error {
	value := raw
	if value == nil {
		var err error
		value, err = pat.EncodeStored(pat.StoredToken{
			Account: t.Account, User: t.User, TokenName: tokenName, Token: secret,
			ExpiresAt: expiresAt.UTC().Truncate(time.Second), RotatedAt: now.UTC().Truncate(time.Second),
		}, t.format())
		if err != nil {
			return err
		}
	}
	opts := &secrets.PutOptions{
		IdempotencyKey: idempotencyKey(t, secret),
		Metadata: map[string]string{
			"snowflake_user": t.User,
			"token_name":     tokenName,
			"expires_at":     expiresAt.UTC().Format(time.RFC3339),
		},
	}
	type step struct {
		store     *secrets.Store
		url       string
		id        string
		currentID string
	}
	var steps []step
	for i, url := range t.Stores {
		var cur *StoredVersion
		if i < len(o.Stores) {
			cur = o.Stores[i].Current
		}
		if cur != nil && cur.DecodeErr == nil && cur.Token.Token.Equal(secret) {
			continue // already current here
		}
		s, err := e.store(ctx, url)
		if err != nil {
			return err
		}
		id, err := s.PutPending(ctx, value, opts)
		if err != nil {
			return err
		}
		st := step{store: s, url: url, id: id}
		if cur != nil {
			st.currentID = cur.ID
		}
		steps = append(steps, st)
		e.emit(ctx, t, Event{Kind: EventStored, Token: tokenName, Store: url, Reason: "stored the new secret as pending"})
	}
	if err := e.verify(ctx, t.User, secret); err != nil {
		return err
	}
	e.emit(ctx, t, Event{Kind: EventVerified, Token: tokenName, Reason: "logged in with the new secret"})
	for _, st := range steps {
		err := promote(ctx, st.store, st.id, st.currentID)
		if errors.Is(err, secrets.ErrConflict) && retired(ctx, st.store, st.id) {
			// The idempotency key led back to a version another engine
			// retired as stale; write the secret again under a key derived
			// from that version, so a retry of this repair stays idempotent.
			again := *opts
			again.IdempotencyKey = derivedKey(opts.IdempotencyKey, st.id)
			id, perr := st.store.PutPending(ctx, value, &again)
			if perr != nil {
				return perr
			}
			err = promote(ctx, st.store, id, st.currentID)
		}
		if err != nil {
			return err
		}
		e.emit(ctx, t, Event{Kind: EventPromoted, Token: tokenName, Store: st.url, Reason: "the new secret is current"})
	}
	return nil
}

// idempotencyKey identifies a write of one secret for one target, so that
// a retried write of the same secret is recognised by the store. It is a
// hash: the key may be visible (AWS shows it as the version id), the
// secret must not be.
func idempotencyKey(t Target, secret pat.Secret) string {
	h := sha256.New()
	for _, part := range []string{"snowpat/v1", t.User, t.Token, secret.Reveal()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "snowpat-" + hex.EncodeToString(h.Sum(nil))[:32]
}

func promote(ctx context.Context, s *secrets.Store, id, currentID string) error {
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

func derivedKey(key, id string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + id))
	return "snowpat-" + hex.EncodeToString(sum[:])[:32]
}
