package secrets

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Store is one secret in one backend: its versions, their stages, and the
// operations a rotation needs. It is safe for concurrent use.
//
// Every method validates its arguments before the backend is called, so an
// ErrInvalidArgument error means nothing was sent; and every method checks
// its context first, so a done context changes nothing.
type Store struct {
	d      driver.Secret
	cas    driver.CompareAndSwapper // nil when the driver has no CAS
	closed atomic.Bool
}

// NewStore wraps a driver. It is for adapter packages, whose own
// constructors return a *Store; applications call those or OpenStore.
func NewStore(d driver.Secret) *Store {
	cas, _ := d.(driver.CompareAndSwapper)
	return &Store{d: d, cas: cas}
}

// start checks what every method checks before calling the driver.
func (s *Store) start(ctx context.Context, op string) error {
	if s.closed.Load() {
		return invalid(op, "the store is closed")
	}
	if err := ctx.Err(); err != nil {
		return &Error{Op: op, Kind: err}
	}
	return nil
}

// As sets i, which must be a non-nil pointer, to the driver's native client
// (the types each adapter supports are in its documentation) and reports
// whether it did. It is the escape hatch for what the portable API lacks.
func (s *Store) As(i any) bool {
	if !isNonNilPointer(i) {
		return false
	}
	return s.d.As(i)
}

// ErrorAs sets target, a non-nil pointer to an error type or an
// interface, to the driver's native error inside err (an error this Store
// returned), using the driver's own rules, and reports whether it did.
// errors.As on err reaches the same native errors in the common case;
// ErrorAs is for drivers whose native errors need conversion.
func (s *Store) ErrorAs(err error, target any) bool {
	if err == nil || !isNonNilPointer(target) {
		return false
	}
	t := reflect.TypeOf(target).Elem()
	if t.Kind() != reflect.Interface && !t.Implements(reflect.TypeFor[error]()) {
		return false
	}
	if e, ok := errors.AsType[*Error](err); ok {
		if e.Err == nil {
			return false
		}
		err = e.Err
	}
	return s.d.ErrorAs(err, target)
}

func isNonNilPointer(i any) bool {
	v := reflect.ValueOf(i)
	return v.Kind() == reflect.Pointer && !v.IsNil()
}

// Close releases the driver's resources. Call it once, after every other
// call has returned; later calls return ErrInvalidArgument.
func (s *Store) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return invalid("Close", "the store is already closed")
	}
	return s.wrap(context.Background(), "Close", s.d.Close())
}
