package memstore

import (
	"bytes"
	"context"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// secret is the driver: one mutex around the version set and the values,
// which is what makes compare-and-swap atomic.
type secret struct {
	mu     sync.Mutex
	set    versionset.Set
	values map[string][]byte
	seq    uint64 // last id handed out; survives Delete
}

var (
	_ driver.Secret            = (*secret)(nil)
	_ driver.CompareAndSwapper = (*secret)(nil)
	_ driver.Destroyer         = (*secret)(nil)
)

func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.set.Select(sel)
	if err != nil {
		return nil, err
	}
	return &driver.Version{VersionInfo: *r.Info(), Value: bytes.Clone(s.values[r.ID])}, nil
}

func (s *secret) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	return s.put(ctx, req, nil)
}

func (s *secret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	return s.put(ctx, req, &pre)
}

func (s *secret) put(ctx context.Context, req *driver.PutRequest, pre *driver.Precondition) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := s.set.Replay(req.IdempotencyKey, req.Metadata, func(r *versionset.Record) (bool, error) {
		return bytes.Equal(s.values[r.ID], req.Value), nil
	})
	if err != nil || id != "" {
		return id, err
	}
	if pre != nil {
		if err := s.set.Check(*pre); err != nil {
			return "", err
		}
	}
	s.seq++
	id = strconv.FormatUint(s.seq, 10)
	s.set.Add(versionset.Record{
		ID:       id,
		Created:  time.Now().UTC().Round(0),
		Key:      req.IdempotencyKey,
		Metadata: maps.Clone(req.Metadata),
	}, req.Pending)
	if s.values == nil {
		s.values = make(map[string][]byte)
	}
	s.values[id] = bytes.Clone(req.Value)
	return id, nil
}

func (s *secret) Promote(ctx context.Context, id string) error {
	return s.promote(ctx, id, nil)
}

func (s *secret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.promote(ctx, id, &pre)
}

func (s *secret) promote(ctx context.Context, id string, pre *driver.Precondition) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.set.Promote(id, pre)
	return err
}

func (s *secret) Retire(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.set.Retire(id)
	return err
}

func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.set.Infos()
}

// Destroy forgets the version and its value.
func (s *secret) Destroy(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.set.Remove(id); err != nil {
		return err
	}
	clear(s.values[id])
	delete(s.values, id)
	return nil
}

func (s *secret) Delete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.set.Exists() {
		return versionset.NoSecret()
	}
	s.set = versionset.Set{}
	clear(s.values)
	return nil
}

func (s *secret) ErrorCode(err error) driver.ErrorCode { return versionset.Code(err) }

// As reports false: there is no native client to expose.
func (s *secret) As(any) bool { return false }

// ErrorAs reports false: memstore's errors have no native type worth
// exposing; classify them with errors.Is and the secrets sentinels.
func (s *secret) ErrorAs(error, any) bool { return false }

// Close does nothing: the secret lives as long as the process, so that
// other Stores opened with its name keep working.
func (s *secret) Close() error { return nil }
