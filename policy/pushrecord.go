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
// records live in memory, and in Options.Records when given, so that a
// restarted rotator does not push everything again; losing them costs only
// pushes, which are idempotent.

// pushRecord is one destination's record.
type pushRecord struct {
	Fingerprint string    `json:"fingerprint"`
	Token       string    `json:"token,omitempty"`
	At          time.Time `json:"at"`
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

// recordBook keeps the records in memory and, with a store, in it.
type recordBook struct {
	mu    sync.Mutex
	mem   pushRecords
	store *secrets.Store
}

func newRecordBook(s *secrets.Store) *recordBook { return &recordBook{mem: pushRecords{}, store: s} }

// read returns target's records: the store's where there is one (another
// replica may have pushed), merged over what this process knows.
func (b *recordBook) read(ctx context.Context, target string) (map[string]pushRecord, error) {
	out := map[string]pushRecord{}
	b.mu.Lock()
	for k, v := range b.mem[target] {
		out[k] = v
	}
	b.mu.Unlock()
	if b.store == nil {
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

// write records that dest of target received the secret with fingerprint
// fp. A failure to persist is returned, but the record is kept in memory:
// the next pass of this process will not push again.
func (b *recordBook) write(ctx context.Context, target, dest string, rec pushRecord) error {
	b.mu.Lock()
	if b.mem[target] == nil {
		b.mem[target] = map[string]pushRecord{}
	}
	b.mem[target][dest] = rec
	b.mu.Unlock()
	if b.store == nil {
		return nil
	}
	for try := 0; try < maxLeaseTries; try++ {
		all, cur, err := b.load(ctx)
		if err != nil {
			return err
		}
		if all[target] == nil {
			all[target] = map[string]pushRecord{}
		}
		all[target][dest] = rec
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
