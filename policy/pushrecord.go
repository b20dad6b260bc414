package policy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// A push record says which secret each destination of a target last
// received, as a fingerprint: a hash, never the secret. A destination
// whose record does not match the secret the stores hold gets a push; a
// failed push is not recorded, so it is tried again on the next pass. The
// records live in Options.Records when given, so that a restarted rotator
// and the other replicas know them, and otherwise in this process's
// memory; losing them costs only pushes, which are idempotent.
//
// A record must never say a destination holds a secret it does not: the
// engine would then remove the generation the destination still logs in
// with. A push and its record cannot be written atomically, and two
// rotators may push to one destination at once (a lease that ran out
// while its holder was paused; two rotators without a common lock), so a
// push is bracketed: before it, the record is replaced by an in-flight
// marker with a fresh nonce, which reads as "not received"; after it, the
// record is completed only if the marker is still this push's and no
// other push was in flight when it was written. Another marker or record
// in its place means another push may have landed after this one; a
// marker written over another push's marker (contended) means that push
// may land after this one, and its owner may never finish (it crashed):
// either way the record is deleted instead, and the next pass pushes
// again. Deleting is always safe; only completing needs the proof. A
// crashed push's marker costs one more push: the next push is contended
// and deletes, the one after completes.
//
// With a records store, only the store's records count: a process's own
// memory cannot see another process's push that landed after its own.

// pushRecord is one destination's record.
type pushRecord struct {
	Fingerprint string    `json:"fingerprint"`
	Token       string    `json:"token,omitempty"`
	At          time.Time `json:"at"`
	// InFlight marks a push that has started and not been confirmed; Nonce
	// is the push's own, so that only it can complete its record.
	InFlight bool   `json:"in_flight,omitempty"`
	Nonce    string `json:"nonce,omitempty"`
	// Contended marks an in-flight marker written over another push's:
	// that push may land after this one, so this one cannot complete.
	Contended bool `json:"contended,omitempty"`
}

// received is the fingerprint of the secret the destination is known to
// hold: none while a push is in flight.
func (r pushRecord) received() string {
	if r.InFlight {
		return ""
	}
	return r.Fingerprint
}

// pushRecords is the table: target ID → destination URL → record.
type pushRecords map[string]map[string]pushRecord

// fingerprint identifies a target user's secret without revealing it.
func fingerprint(user string, secret pat.Secret) string {
	h := sha256.New()
	for _, part := range []string{"snowpat/push/v1", user, secret.Reveal()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// recordBook keeps the records in its store, or in memory without one.
type recordBook struct {
	mu    sync.Mutex
	mem   pushRecords
	store *secrets.Store
}

func newRecordBook(s *secrets.Store) *recordBook { return &recordBook{mem: pushRecords{}, store: s} }

// read returns target's records: the store's where there is one (another
// replica may have pushed), else what this process knows.
func (b *recordBook) read(ctx context.Context, target string) (map[string]pushRecord, error) {
	out := map[string]pushRecord{}
	if b.store == nil {
		b.mu.Lock()
		for k, v := range b.mem[target] {
			out[k] = v
		}
		b.mu.Unlock()
		return out, nil
	}
	all, _, err := b.load(ctx)
	if err != nil {
		return nil, err
	}
	for k, v := range all[target] {
		out[k] = v
	}
	return out, nil
}

func (b *recordBook) load(ctx context.Context) (pushRecords, string, error) {
	v, err := b.store.Current(ctx)
	if errors.Is(err, secrets.ErrNotFound) {
		return pushRecords{}, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	recs := pushRecords{}
	if err := json.Unmarshal(v.Value(), &recs); err != nil {
		return nil, "", fmt.Errorf("policy: the push records are not valid JSON: %w", err)
	}
	return recs, v.ID, nil
}

// begin marks a push to dest of target as in flight, under nonce: the
// push may land or not. Without a records store, this process forgets its
// record of dest until finish.
func (b *recordBook) begin(ctx context.Context, target, dest string, rec pushRecord) error {
	if b.store == nil {
		b.mu.Lock()
		delete(b.mem[target], dest)
		b.mu.Unlock()
		return nil
	}
	rec.InFlight = true
	return b.update(ctx, func(all pushRecords) {
		m := rec
		if cur, ok := all[target][dest]; ok && cur.InFlight {
			m.Contended = true
		}
		all.set(target, dest, &m)
	})
}

// finish records that dest of target received rec's secret, if the
// in-flight marker is still rec's (same nonce) and was not written over
// another's; otherwise it deletes the record, since another push may have
// landed after this one.
func (b *recordBook) finish(ctx context.Context, target, dest string, rec pushRecord) error {
	if b.store == nil {
		b.mu.Lock()
		if b.mem[target] == nil {
			b.mem[target] = map[string]pushRecord{}
		}
		b.mem[target][dest] = rec
		b.mu.Unlock()
		return nil
	}
	return b.update(ctx, func(all pushRecords) {
		if cur, ok := all[target][dest]; ok && cur.InFlight && !cur.Contended && cur.Nonce == rec.Nonce && rec.Nonce != "" {
			all.set(target, dest, &rec)
			return
		}
		all.set(target, dest, nil)
	})
}

// set sets or, with nil, deletes one record.
func (all pushRecords) set(target, dest string, rec *pushRecord) {
	if rec == nil {
		delete(all[target], dest)
		if len(all[target]) == 0 {
			delete(all, target)
		}
		return
	}
	if all[target] == nil {
		all[target] = map[string]pushRecord{}
	}
	all[target][dest] = *rec
}

// update applies change to the stored table with compare-and-swap, so
// that concurrent writers (of other targets' records too) lose nothing.
func (b *recordBook) update(ctx context.Context, change func(pushRecords)) error {
	for try := 0; try < maxLeaseTries; try++ {
		all, cur, err := b.load(ctx)
		if err != nil {
			return err
		}
		change(all)
		data, _ := json.Marshal(all)
		switch {
		case !b.store.SupportsCompareAndSwap():
			_, err = b.store.Put(ctx, data, nil)
		case cur == "":
			_, err = b.store.PutIf(ctx, data, secrets.IfAbsent(), nil)
		default:
			_, err = b.store.PutIf(ctx, data, secrets.IfCurrent(cur), nil)
		}
		if errors.Is(err, secrets.ErrConflict) {
			continue
		}
		return err
	}
	return fmt.Errorf("policy: the push records kept changing: %w", secrets.ErrConflict)
}
