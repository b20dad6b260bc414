package powerbi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
)

// APIError is an error answer of the Power BI REST API: the HTTP status,
// the error body's code and message, and the request id Microsoft's
// support asks for. Reach it with errors.As or push.Destination.ErrorAs.
// It never holds a request body.
type APIError struct {
	// Operation is the REST operation that failed, such as
	// "UpdateDatasource".
	Operation string
	Status    int
	Code      string
	Message   string
	RequestID string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("powerbi: %s: HTTP %d", e.Operation, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// TokenError is the failure to get an Entra ID token for the Power BI
// API from the credential (azidentity's chain found no credential, a
// service principal's secret expired, …).
type TokenError struct{ Err error }

func (e *TokenError) Error() string { return "powerbi: getting an Entra ID token: " + e.Err.Error() }
func (e *TokenError) Unwrap() error { return e.Err }

func fail(code driver.ErrorCode, format string, args ...any) error {
	return &httpx.Problem{Tool: "powerbi", Code: code, Msg: fmt.Sprintf(format, args...)}
}

func errorCode(err error) driver.ErrorCode {
	if code, ok := httpx.Code(err); ok {
		return code
	}
	if _, ok := errors.AsType[*TokenError](err); ok {
		return driver.CodeUnauthenticated
	}
	if e, ok := errors.AsType[*APIError](err); ok {
		switch {
		case e.Status == http.StatusUnauthorized:
			return driver.CodeUnauthenticated
		case e.Status == http.StatusForbidden:
			return driver.CodePermissionDenied
		case e.Status == http.StatusNotFound:
			return driver.CodeNotFound
		case e.Status == http.StatusTooManyRequests || e.Status >= 500:
			return driver.CodeUnavailable
		case e.Status >= 300:
			return driver.CodeInvalidArgument
		}
	}
	return driver.CodeUnknown
}
