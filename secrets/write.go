package secrets

import (
	"context"
	"maps"

	"github.com/snowpat/snowpat/secrets/driver"
)

// PutOptions are the optional parts of a write. A nil *PutOptions means
// none of them.
type PutOptions struct {
	// Metadata is stored with the version. It is not secret (backends keep
	// it as plain tags or labels), so never put credentials in it. Keys
	// are 1 to 63 bytes of lowercase ASCII letters, digits, '_' and '-',
	// starting with a letter; values are at most 256 bytes of UTF-8
	// without control characters; at most 15 entries.
	Metadata map[string]string
	// IdempotencyKey makes the write safe to retry: repeating a write with
	// the same key and the same value and metadata changes nothing and
	// returns the first write's version id, even if that version has since
	// been promoted or retired; the same key with a different value or
	// metadata fails with ErrConflict. Use a fresh random key (a UUID) per
	// logical write. Empty means no idempotency. At most 64 ASCII letters,
	// digits, '.', '_' and '-'.
	IdempotencyKey string
}

// Put writes value as a new version and makes it current: the old current
// version becomes previous and the old previous one loses its stage; a
// pending version stays pending. It creates the secret if needed and
// returns the new version's id. value is 1 to MaxValueSize bytes; the Store
// does not keep the slice.
func (s *Store) Put(ctx context.Context, value []byte, opts *PutOptions) (string, error) {
	return s.put(ctx, "Put", value, opts, false, nil)
}

// PutPending writes value as a new pending version, as the first step of a
// rotation: readers keep using the current version until Promote. A
// previous pending version loses its stage. It returns the new version's
// id.
func (s *Store) PutPending(ctx context.Context, value []byte, opts *PutOptions) (string, error) {
	return s.put(ctx, "PutPending", value, opts, true, nil)
}

func (s *Store) put(ctx context.Context, op string, value []byte, opts *PutOptions, pending bool, pre *Precondition) (string, error) {
	if opts == nil {
		opts = &PutOptions{}
	}
	if err := validateValue(op, value); err != nil {
		return "", err
	}
	if err := validateMetadata(op, opts.Metadata); err != nil {
		return "", err
	}
	if err := validateIdempotencyKey(op, opts.IdempotencyKey); err != nil {
		return "", err
	}
	var dpre driver.Precondition
	if pre != nil {
		var err error
		if dpre, err = pre.driver(op); err != nil {
			return "", err
		}
		if s.cas == nil {
			return "", &Error{Op: op, Kind: ErrUnsupported, msg: "the backend has no compare-and-swap"}
		}
	}
	if err := s.start(ctx, op); err != nil {
		return "", err
	}
	defer s.done()
	req := &driver.PutRequest{
		Value:          value,
		Metadata:       maps.Clone(opts.Metadata),
		IdempotencyKey: opts.IdempotencyKey,
		Pending:        pending,
	}
	var id string
	var err error
	if pre != nil {
		id, err = s.cas.PutIf(ctx, req, dpre)
	} else {
		id, err = s.d.Put(ctx, req)
	}
	if err != nil {
		return "", s.wrap(ctx, op, err)
	}
	if id == "" {
		return "", &Error{Op: op, msg: "the driver returned an empty version id"}
	}
	return id, nil
}

// Promote makes version id current: the old current version becomes
// previous and the old previous one loses its stage. Promoting the pending
// version completes a rotation; promoting the previous one rolls back.
// Promoting the current version does nothing, so a retried Promote is safe.
// It returns ErrNotFound for an unknown id and ErrConflict for a retired,
// disabled version.
func (s *Store) Promote(ctx context.Context, id string) error {
	return s.promote(ctx, "Promote", id, nil)
}

func (s *Store) promote(ctx context.Context, op, id string, pre *Precondition) error {
	if err := validateID(op, id); err != nil {
		return err
	}
	var dpre driver.Precondition
	if pre != nil {
		var err error
		if dpre, err = pre.driver(op); err != nil {
			return err
		}
		if s.cas == nil {
			return &Error{Op: op, Kind: ErrUnsupported, msg: "the backend has no compare-and-swap"}
		}
	}
	if err := s.start(ctx, op); err != nil {
		return err
	}
	defer s.done()
	var err error
	if pre != nil {
		err = s.cas.PromoteIf(ctx, id, dpre)
	} else {
		err = s.d.Promote(ctx, id)
	}
	return s.wrap(ctx, op, err)
}

// Retire takes version id out of use: it loses its stage and, on backends
// that can disable versions, can no longer be read. List still shows it.
// Retiring the current version fails with ErrConflict (promote another
// first); retiring a retired version does nothing.
func (s *Store) Retire(ctx context.Context, id string) error {
	if err := validateID("Retire", id); err != nil {
		return err
	}
	if err := s.start(ctx, "Retire"); err != nil {
		return err
	}
	defer s.done()
	return s.wrap(ctx, "Retire", s.d.Retire(ctx, id))
}

// Delete removes the secret with all its versions. Afterwards reads return
// ErrNotFound, and a Put starts a new secret with no history (or fails with
// ErrAlreadyExists on a backend that keeps deleted names reserved for a
// while). Deleting a missing secret returns ErrNotFound.
func (s *Store) Delete(ctx context.Context) error {
	if err := s.start(ctx, "Delete"); err != nil {
		return err
	}
	defer s.done()
	return s.wrap(ctx, "Delete", s.d.Delete(ctx))
}
