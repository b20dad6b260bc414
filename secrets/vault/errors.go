package vault

import (
	"errors"
	"net/http"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets/driver"
	errs "github.com/snowpat/snowpat/secrets/internal/coded"
	"github.com/snowpat/snowpat/secrets/internal/idem"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// ErrorCode classifies errors from Vault and from this package.
func (s *secret) ErrorCode(err error) driver.ErrorCode {
	if c := versionset.Code(err); c != driver.CodeUnknown {
		return c
	}
	if errors.Is(err, errCASMismatch) {
		return driver.CodeConflict
	}
	if re, ok := errors.AsType[*api.ResponseError](err); ok {
		return statusCode(re.StatusCode)
	}
	// No response at all: the request may or may not have reached Vault.
	if idem.IsTransport(err) {
		return driver.CodeUnavailable
	}
	return driver.CodeUnknown
}

// statusCode maps Vault's HTTP status. 412 is a performance standby that
// has not caught up yet (it passes), and 405 a path the mount does not
// serve.
func statusCode(status int) driver.ErrorCode {
	switch status {
	case http.StatusMethodNotAllowed:
		return driver.CodeUnsupported
	case http.StatusPreconditionFailed:
		return driver.CodeUnavailable
	}
	return errs.HTTPStatus(status)
}

// ErrorAs reaches *api.ResponseError, Vault's answer with its status and
// messages.
func (s *secret) ErrorAs(err error, i any) bool { return errors.As(err, i) }
