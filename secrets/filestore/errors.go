package filestore

import (
	"errors"
	"io/fs"
	"syscall"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// ErrorCode classifies filestore's errors. A missing file is reported as
// a missing secret before it gets here, so fs.ErrNotExist is not mapped:
// when it appears it means something else (a missing parent directory).
func (s *secret) ErrorCode(err error) driver.ErrorCode {
	if code := versionset.Code(err); code != driver.CodeUnknown {
		return code
	}
	switch {
	case errors.Is(err, errUnsafe):
		return driver.CodePermissionDenied
	case errors.Is(err, errForeign):
		return driver.CodeInvalidArgument
	case errors.Is(err, errors.ErrUnsupported):
		return driver.CodeUnsupported
	case errors.Is(err, fs.ErrPermission):
		return driver.CodePermissionDenied
	case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EINTR), errors.Is(err, syscall.ENOLCK):
		return driver.CodeUnavailable
	}
	return driver.CodeUnknown
}
