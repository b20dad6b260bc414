package vault

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// maxAttempts bounds the check-and-set loops, so that a secret under
// relentless contention fails with ErrUnavailable instead of spinning.
const maxAttempts = 100

func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	return s.put(ctx, req, nil)
}

func (s *secret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	return s.put(ctx, req, &pre)
}

// put writes the value as a new KV version of the value path, then adds
// it to the stage record with check-and-set: that write is the commit.
// Until it, the value's version is an orphan no reader of the record
// sees; a writer that loses the record's check-and-set reads the record
// again and re-checks the idempotency key and the precondition against
// it, so both hold at the instant of the commit. An orphan left by a lost
// precondition or by a concurrent retry of the same key is destroyed;
// one left by a failure or a cancelled context stays, unseen, until
// Vault's max_versions window drops it.
func (s *secret) put(ctx context.Context, req *driver.PutRequest, pre *driver.Precondition) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	lookup, sum := idempotencyMarks(req.IdempotencyKey, req.Value)
	var written *kvVersion
	oldest := 0
	for range maxAttempts {
		r, err := s.readRecord(ctx)
		if err != nil {
			return "", err
		}
		if written != nil && r.commits(written) {
			// Our commit landed although its answer was lost (writeRecord
			// could not read the version it made to tell).
			s.mirror(ctx, r)
			return strconv.Itoa(written.Version), nil
		}
		id, err := r.set.Replay(lookup, req.Metadata, func(x *versionset.Record) (bool, error) {
			return r.sums[x.ID] == sum, nil
		})
		if err == nil && id == "" && pre != nil {
			err = r.set.Check(*pre)
		}
		if err != nil || id != "" {
			if written != nil && id != strconv.Itoa(written.Version) {
				s.discard(ctx, written.Version)
			}
			return id, err
		}
		if written == nil {
			v, o, err := s.writeValue(ctx, req.Value)
			if err != nil {
				return "", err
			}
			written, oldest = &v, o
		}
		r.prune(oldest, 0)
		id = strconv.Itoa(written.Version)
		if _, err := r.set.Find(id); err == nil {
			// Vault just gave out a number the record already holds: the
			// value path was deleted and recreated, and every version the
			// record names is gone.
			r.set, r.sums, r.destroyed = versionset.Set{}, map[string]string{}, nil
		}
		// A number given out anew is not the destroyed version it once was.
		r.destroyed = slices.DeleteFunc(r.destroyed, func(d string) bool { return d == id })
		r.set.Add(versionset.Record{
			ID:       id,
			Created:  parseTime(written.CreatedTime),
			Key:      lookup,
			Metadata: maps.Clone(req.Metadata),
		}, req.Pending)
		if sum != "" {
			r.sums[id] = sum
		}
		switch err := s.writeRecord(ctx, r); {
		case errors.Is(err, errCASMismatch):
			continue
		case err != nil:
			return "", err
		}
		s.mirror(ctx, r)
		return id, nil
	}
	if written != nil {
		s.discard(ctx, written.Version)
	}
	return "", contended()
}

// commits reports whether r records the value version written (by its
// number and its creation time: a number alone could be a version of the
// value path from before it was deleted and recreated), which only this
// write records.
func (r *record) commits(written *kvVersion) bool {
	x, err := r.set.Find(strconv.Itoa(written.Version))
	return err == nil && x.Created.Equal(parseTime(written.CreatedTime))
}

// writeValue writes value as the value path's next KV version. It uses
// check-and-set too, against the version it read, so that it works on
// mounts that require cas; a concurrent writer only makes it try again.
// It returns the oldest version Vault still kept before the write, for
// pruning.
func (s *secret) writeValue(ctx context.Context, value []byte) (kvVersion, int, error) {
	for range maxAttempts {
		meta, _, err := s.readMetadata(ctx, s.path)
		if err != nil {
			return kvVersion{}, 0, err
		}
		v, err := s.writeData(ctx, s.path, encodeValue(value), meta.CurrentVersion)
		if errors.Is(err, errCASMismatch) {
			continue
		}
		return v, meta.OldestVersion, err
	}
	return kvVersion{}, 0, contended()
}

// discard destroys an orphaned value version. It is tidying: on failure
// the orphan stays unseen, so the error is dropped.
func (s *secret) discard(ctx context.Context, version int) {
	_ = s.versionsOp(ctx, "destroy", s.path, []int{version})
}

func contended() error {
	return versionset.Errorf(driver.CodeUnavailable, "gave up after %d attempts lost to concurrent writers", maxAttempts)
}
