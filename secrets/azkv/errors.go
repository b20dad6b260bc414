package azkv

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/snowpat/snowpat/secrets/driver"
	errs "github.com/snowpat/snowpat/secrets/internal/coded"
	"github.com/snowpat/snowpat/secrets/internal/idem"
)

// errorf makes an error of this package, with its code. Its text names
// versions by id, never by value, and leaves out the vault's answer.
func errorf(code driver.ErrorCode, format string, args ...any) error {
	return &errs.Error{Code: code, Prefix: "azkv", Msg: fmt.Sprintf(format, args...), Quiet: true}
}

// wrapf is errorf for an error the vault's answer cause explains, which
// ErrorAs then reaches.
func wrapf(code driver.ErrorCode, cause error, format string, args ...any) error {
	return &errs.Error{Code: code, Prefix: "azkv", Msg: fmt.Sprintf(format, args...), Err: cause, Quiet: true}
}

// ErrorCode classifies errors from the vault and from this package.
func (s *secret) ErrorCode(err error) driver.ErrorCode {
	if code, ok := errs.Of(err); ok {
		return code
	}
	if re, ok := errors.AsType[*azcore.ResponseError](err); ok {
		return responseCode(re)
	}
	if _, ok := errors.AsType[*azidentity.AuthenticationFailedError](err); ok {
		return driver.CodePermissionDenied
	}
	// No response at all: the request may or may not have reached the vault.
	if idem.IsTransport(err) {
		return driver.CodeUnavailable
	}
	return driver.CodeUnknown
}

// responseCode maps a Key Vault error response. 403 is two things: a
// disabled version (inner code SecretDisabled), which the portable
// contract calls not found, and a refusal by access policy or RBAC.
func responseCode(re *azcore.ResponseError) driver.ErrorCode {
	switch re.StatusCode {
	case http.StatusForbidden:
		if isDisabled(re) {
			return driver.CodeNotFound
		}
	case http.StatusConflict:
		// The secrets API answers 409 when a name is held by a deleted
		// secret (ObjectIsDeletedButRecoverable) or one being deleted.
		return driver.CodeAlreadyExists
	}
	return errs.HTTPStatus(re.StatusCode)
}

// isDisabled reports whether re is the 403 for reading a disabled version.
// azcore keeps only the outer code ("Forbidden"); the inner one is in the
// body, which azcore has buffered.
func isDisabled(re *azcore.ResponseError) bool {
	if re.StatusCode != http.StatusForbidden || re.RawResponse == nil {
		return false
	}
	body, err := runtime.Payload(re.RawResponse)
	if err != nil {
		return false
	}
	var e struct {
		Error struct {
			InnerError struct {
				Code string `json:"code"`
			} `json:"innererror"`
		} `json:"error"`
	}
	return json.Unmarshal(body, &e) == nil && e.Error.InnerError.Code == "SecretDisabled"
}

// isDisabledErr is isDisabled for any error.
func isDisabledErr(err error) bool {
	re, ok := errors.AsType[*azcore.ResponseError](err)
	return ok && isDisabled(re)
}

// isNotFound reports whether err is the vault's 404.
func isNotFound(err error) bool {
	re, ok := errors.AsType[*azcore.ResponseError](err)
	return ok && re.StatusCode == http.StatusNotFound
}

// ErrorAs reaches the native errors: *azcore.ResponseError whenever an
// error answer from the vault is the cause (see the package doc),
// *azidentity.AuthenticationFailedError for a credential that could not
// get a token.
func (s *secret) ErrorAs(err error, i any) bool { return errors.As(err, i) }
