package versionset

import (
	"errors"
	"fmt"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Error is an error with a driver.ErrorCode. Its text names versions by id
// and never holds a value.
type Error struct {
	Code driver.ErrorCode
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code driver.ErrorCode, format string, args ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

var errNoSecret = Errorf(driver.CodeNotFound, "the secret does not exist")

// NoSecret returns the NotFound error for a secret with no versions.
func NoSecret() error { return errNoSecret }

// Code returns the code of the *Error in err's chain, or CodeUnknown.
func Code(err error) driver.ErrorCode {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return driver.CodeUnknown
}
