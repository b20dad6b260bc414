package tableau

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
	"github.com/snowpat/snowpat/secrets"
)

// APIError is an error answer of the Tableau REST API: the HTTP status
// and Tableau's error element. Reach it with errors.As or
// push.Destination.ErrorAs. It never holds a request body.
type APIError struct {
	// Method is the REST API method that failed, such as
	// "UpdateDatasourceConnection".
	Method string
	// Status is the HTTP status; Code Tableau's numeric code ("401002"),
	// empty when the answer carried no error element.
	Status  int
	Code    string
	Summary string
	Detail  string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("tableau: %s: HTTP %d", e.Method, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Summary != "" {
		s += " " + e.Summary
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// sessionExpired reports the answer Tableau gives to a session token it
// no longer knows, after which a client signs in again.
func (e *APIError) sessionExpired() bool {
	return e.Status == http.StatusUnauthorized && e.Code == "401002"
}

func fail(code driver.ErrorCode, format string, args ...any) error {
	return &httpx.Problem{Tool: "tableau", Code: code, Msg: fmt.Sprintf(format, args...)}
}

// errorCode classifies the errors this adapter returns.
func errorCode(err error) driver.ErrorCode {
	if code, ok := httpx.Code(err); ok {
		return code
	}
	if e, ok := errors.AsType[*APIError](err); ok {
		return apiErrorCode(e)
	}
	for k, code := range map[error]driver.ErrorCode{
		secrets.ErrNotFound: driver.CodeNotFound, secrets.ErrPermissionDenied: driver.CodePermissionDenied,
		secrets.ErrUnavailable: driver.CodeUnavailable, secrets.ErrInvalidArgument: driver.CodeInvalidArgument,
	} {
		if errors.Is(err, k) {
			return code
		}
	}
	return driver.CodeUnknown
}

func apiErrorCode(e *APIError) driver.ErrorCode {
	switch {
	case e.Status == http.StatusUnauthorized:
		return driver.CodeUnauthenticated
	case e.Status == http.StatusForbidden:
		return driver.CodePermissionDenied
	case e.Status == http.StatusNotFound:
		return driver.CodeNotFound
	case e.Status == http.StatusConflict && e.Code == "409093":
		// Another refresh of the same content is queued.
		return driver.CodeUnavailable
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return driver.CodeUnavailable
	case e.Status >= 300 && e.Status < 500:
		return driver.CodeInvalidArgument
	}
	return driver.CodeUnknown
}
