package secrets

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Precondition is what a compare-and-swap write requires of the secret at
// the instant it writes. Make one with IfCurrent or IfAbsent; the zero
// Precondition is invalid, so that forgetting to set one cannot turn a
// guarded write into an unguarded one.
type Precondition struct {
	currentID string
	absent    bool
}

// IfCurrent requires that the current version is still id: the version the
// caller read before deciding what to write.
func IfCurrent(id string) Precondition { return Precondition{currentID: id} }

// IfAbsent requires that the secret has no version at all: create it only
// if nobody else has.
func IfAbsent() Precondition { return Precondition{absent: true} }

func (p Precondition) driver(op string) (driver.Precondition, error) {
	if p.absent {
		return driver.Precondition{Absent: true}, nil
	}
	if p.currentID == "" {
		return driver.Precondition{}, invalid(op, "empty precondition; use IfCurrent or IfAbsent")
	}
	if err := validateID(op, p.currentID); err != nil {
		return driver.Precondition{}, err
	}
	return driver.Precondition{CurrentID: p.currentID}, nil
}

// SupportsCompareAndSwap reports whether PutIf, PutPendingIf and PromoteIf
// can work on this backend. When it is false they return ErrUnsupported
// and write nothing.
func (s *Store) SupportsCompareAndSwap() bool { return s.cas != nil }

// PutIf is Put that writes only if pre holds at the instant of writing,
// atomically. When it does not, it returns ErrConflict and writes nothing:
// re-read the current version and try again. The idempotency key is
// checked first, so a retried PutIf that had succeeded returns the same id.
func (s *Store) PutIf(ctx context.Context, value []byte, pre Precondition, opts *PutOptions) (string, error) {
	return s.put(ctx, "PutIf", value, opts, false, &pre)
}

// PutPendingIf is PutPending that writes only if pre holds, as PutIf. A
// rotation uses it to stage its new version only if nobody rotated since
// it read the current one.
func (s *Store) PutPendingIf(ctx context.Context, value []byte, pre Precondition, opts *PutOptions) (string, error) {
	return s.put(ctx, "PutPendingIf", value, opts, true, &pre)
}

// PromoteIf is Promote that promotes only if pre holds, atomically; when
// it does not, it returns ErrConflict and changes nothing. Promoting the
// version that is already current succeeds without checking pre, so that a
// retried PromoteIf is safe.
func (s *Store) PromoteIf(ctx context.Context, id string, pre Precondition) error {
	return s.promote(ctx, "PromoteIf", id, &pre)
}
