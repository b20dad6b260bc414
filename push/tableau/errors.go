package tableau

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"github.com/snowpat/snowpat/push/driver"
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

// problem is an error this adapter raises itself, with its class.
type problem struct {
	code driver.ErrorCode
	msg  string
	err  error
}

func (p *problem) Error() string {
	if p.err != nil {
		return "tableau: " + p.msg + ": " + p.err.Error()
	}
	return "tableau: " + p.msg
}

func (p *problem) Unwrap() error { return p.err }

func fail(code driver.ErrorCode, format string, args ...any) error {
	return &problem{code: code, msg: fmt.Sprintf(format, args...)}
}

// errorCode classifies the errors this adapter returns.
func errorCode(err error) driver.ErrorCode {
	if p, ok := errors.AsType[*problem](err); ok && p.code != driver.CodeUnknown {
		return p.code
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
	if _, ok := errors.AsType[net.Error](err); ok {
		return driver.CodeUnavailable
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

// transportError describes a request that got no answer, without the
// request's URL, which url.Error repeats.
func transportError(method string, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	return &netError{method: method, err: err}
}

// netError is a request that got no answer: the connection failed or was
// closed before the answer arrived. It is a net.Error so that it
// classifies as unavailable.
type netError struct {
	method string
	err    error
}

func (e *netError) Error() string   { return "tableau: " + e.method + ": no answer: " + e.err.Error() }
func (e *netError) Unwrap() error   { return e.err }
func (e *netError) Timeout() bool   { return false }
func (e *netError) Temporary() bool { return true }
