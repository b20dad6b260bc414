package secrets

import (
	"errors"
	"reflect"
	"sync"

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
	stages driver.StagesReader      // nil when Stages falls back to three Gets

	mu     sync.Mutex     // guards closed and every calls.Add
	closed bool           // set once by Close
	calls  sync.WaitGroup // driver calls in flight; Close waits for them
}

// NewStore wraps a driver. It is for adapter packages, whose own
// constructors return a *Store; applications call those or OpenStore.
func NewStore(d driver.Secret) *Store {
	cas, _ := d.(driver.CompareAndSwapper)
	stages, _ := d.(driver.StagesReader)
	return &Store{d: d, cas: cas, stages: stages}
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
//
// Like errors.As, it returns false for a nil err and panics when target
// is nil, not a pointer, or points to a type that is neither an interface
// nor an error: a bad target is a programming error that a false would
// hide.
func (s *Store) ErrorAs(err error, target any) bool {
	if err == nil {
		return false
	}
	checkErrorTarget(target)
	if e, ok := errors.AsType[*Error](err); ok {
		if e.Err == nil {
			return false
		}
		err = e.Err
	}
	return s.d.ErrorAs(err, target)
}

// checkErrorTarget panics, with errors.As's words, on a target errors.As
// would refuse.
func checkErrorTarget(target any) {
	if target == nil {
		panic("secrets: ErrorAs: target cannot be nil")
	}
	if !isNonNilPointer(target) {
		panic("secrets: ErrorAs: target must be a non-nil pointer")
	}
	t := reflect.TypeOf(target).Elem()
	if t.Kind() != reflect.Interface && !t.Implements(reflect.TypeFor[error]()) {
		panic("secrets: ErrorAs: *target must be interface or implement error")
	}
}

func isNonNilPointer(i any) bool {
	v := reflect.ValueOf(i)
	return v.Kind() == reflect.Pointer && !v.IsNil()
}
