package memstore

import (
	"errors"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// ErrInjected matches, with errors.Is, every error a fault returns (and
// is the error itself when a fault is armed with a nil one), so that a
// test can tell an injected failure from a real one.
var ErrInjected = errors.New("memstore: injected fault")

// faultError is what a fault returns: the test's error, marked as
// injected so that ErrorCode can classify it.
type faultError struct{ err error }

func injected(err error) error {
	if err == nil {
		return ErrInjected
	}
	return &faultError{err}
}

func (e *faultError) Error() string { return ErrInjected.Error() + ": " + e.err.Error() }

// Unwrap keeps ErrInjected and the test's error (and whatever it wraps)
// reachable with errors.Is and errors.As.
func (e *faultError) Unwrap() []error { return []error{ErrInjected, e.err} }

// faultCodes maps the secrets sentinels onto the codes the Store maps
// back onto them; the order decides for an error that wraps several.
var faultCodes = []struct {
	kind error
	code driver.ErrorCode
}{
	{secrets.ErrNotFound, driver.CodeNotFound},
	{secrets.ErrAlreadyExists, driver.CodeAlreadyExists},
	{secrets.ErrConflict, driver.CodeConflict},
	{secrets.ErrPermissionDenied, driver.CodePermissionDenied},
	{secrets.ErrUnavailable, driver.CodeUnavailable},
	{secrets.ErrInvalidArgument, driver.CodeInvalidArgument},
	{secrets.ErrUnsupported, driver.CodeUnsupported},
}

// faultCode classifies an injected error: the kind of the first secrets
// sentinel it wraps, else unavailable, the failure a test injects most
// (a store that is down). ok is false for an error no fault made.
func faultCode(err error) (code driver.ErrorCode, ok bool) {
	if !errors.Is(err, ErrInjected) {
		return driver.CodeUnknown, false
	}
	for _, c := range faultCodes {
		if errors.Is(err, c.kind) {
			return c.code, true
		}
	}
	return driver.CodeUnavailable, true
}
