package filestore

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// txn is one read-modify-write of the secret under the exclusive lock.
type txn struct {
	s       *secret
	set     *versionset.Set // the state as loaded; fn changes it
	written []string        // version files made durable by this txn
}

// update runs fn on a copy of the state under the exclusive lock and, if
// fn reports a change, saves it. The order of writes is what makes a
// crash harmless: a new version's file is made durable before the state
// file that names it is written, and the state file is replaced by an
// atomic rename, so after a crash at any point the directory holds the old
// state or the new one, never one that names a missing file. Files a crash
// leaves behind (temporary files, versions no state names) are removed by
// the next update, which is the only time no one can be writing them; a
// directory that holds other files and no state is not written at all.
//
// With create false, a secret that does not exist is reported as such and
// no directory is made.
func (s *secret) update(ctx context.Context, create bool, fn func(tx *txn) (bool, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l, err := s.lock(ctx, true, create)
	if !create && errors.Is(err, fs.ErrNotExist) {
		return versionset.NoSecret()
	}
	if err != nil {
		return err
	}
	defer closeLock(l)
	set, err := s.load()
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	if err := s.checkAdoptable(entries); err != nil {
		return err
	}
	if err := s.collectGarbage(set, entries); err != nil {
		return err
	}
	tx := &txn{s: s, set: set}
	changed, err := fn(tx)
	if err == nil && changed {
		// The last moment to honour a cancellation: after the rename the
		// change has happened.
		err = ctx.Err()
	}
	if err == nil && changed {
		var renamed bool
		if renamed, err = s.save(tx.set); renamed {
			// The new state is visible, so the files it names must stay,
			// even if the directory fsync failed.
			return err
		}
	}
	if err != nil || !changed {
		tx.discard()
	}
	return err
}

// writeVersion makes a new version's file durable and returns its id.
func (tx *txn) writeVersion(value []byte) (string, error) {
	id := newID()
	renamed, err := tx.s.writeAtomic(versionPrefix+id, value, "version")
	if renamed {
		tx.written = append(tx.written, id) // discard must remove it
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

// discard removes the version files of a change that was not saved. Were
// the process to die first, the next update would remove them.
func (tx *txn) discard() {
	for _, id := range tx.written {
		_ = os.Remove(tx.s.versionPath(id))
	}
}

func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	return s.put(ctx, req, nil)
}

func (s *secret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	return s.put(ctx, req, &pre)
}

func (s *secret) put(ctx context.Context, req *driver.PutRequest, pre *driver.Precondition) (string, error) {
	var id string
	err := s.update(ctx, true, func(tx *txn) (bool, error) {
		replayed, err := tx.set.Replay(req.IdempotencyKey, req.Metadata, func(r *versionset.Record) (bool, error) {
			v, err := s.readValue(r.ID)
			return bytes.Equal(v, req.Value), err
		})
		if err != nil || replayed != "" {
			id = replayed
			return false, err
		}
		if pre != nil {
			if err := tx.set.Check(*pre); err != nil {
				return false, err
			}
		}
		if id, err = tx.writeVersion(req.Value); err != nil {
			return false, err
		}
		tx.set.Add(versionset.Record{
			ID:       id,
			Created:  time.Now().UTC().Round(0),
			Key:      req.IdempotencyKey,
			Metadata: maps.Clone(req.Metadata),
		}, req.Pending)
		return true, nil
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

func (s *secret) Promote(ctx context.Context, id string) error {
	return s.promote(ctx, id, nil)
}

func (s *secret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.promote(ctx, id, &pre)
}

func (s *secret) promote(ctx context.Context, id string, pre *driver.Precondition) error {
	return s.update(ctx, false, func(tx *txn) (bool, error) {
		return tx.set.Promote(id, pre)
	})
}

func (s *secret) Retire(ctx context.Context, id string) error {
	return s.update(ctx, false, func(tx *txn) (bool, error) {
		return tx.set.Retire(id)
	})
}

// Destroy forgets the version in the state file and then unlinks its
// file at once, rather than leaving it to the next change's garbage
// collection: a destroyed secret must not stay on disk. Once the state no
// longer names the file no reader can reach it, so unlinking it outside
// the lock is safe (ids are never reused).
func (s *secret) Destroy(ctx context.Context, id string) error {
	err := s.update(ctx, false, func(tx *txn) (bool, error) {
		return true, tx.set.Remove(id)
	})
	if err != nil {
		return err
	}
	if err := os.Remove(s.versionPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(s.dir)
}
