package powerbifake

import (
	"fmt"
	"net/http"
)

// APIError is an error answer: a status and the service's error body.
// Tests pass one to FailNext.
type APIError struct {
	Status  int
	Code    string
	Message string
	// RetryAfter, when positive, is sent as Retry-After in seconds.
	RetryAfter int
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (e *APIError) body() errorBody {
	var b errorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	return b
}

// Errors tests commonly inject.
var (
	// ErrThrottled is the service's rate limit, with a Retry-After.
	ErrThrottled = &APIError{Status: http.StatusTooManyRequests, Code: "TooManyRequests", Message: "You have exceeded the amount of requests allowed in the current time frame.", RetryAfter: 2}
	// ErrUnavailable is a transient failure.
	ErrUnavailable = &APIError{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable", Message: "The service is temporarily unavailable."}
	// ErrForbidden is a permission refusal.
	ErrForbidden = &APIError{Status: http.StatusForbidden, Code: "PowerBINotAuthorizedException", Message: "The caller is not authorized."}
	// ErrTokenExpired is the answer to an expired or unknown token.
	ErrTokenExpired = &APIError{Status: http.StatusUnauthorized, Code: "TokenExpired", Message: "Access token has expired, resubmit with a new access token"}
)

func invalidToken(msg string) *APIError {
	return &APIError{Status: http.StatusUnauthorized, Code: "InvalidToken", Message: msg}
}

func notFound(what, id string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "ItemNotFound", Message: fmt.Sprintf("%s %s is not found! please verify the id is correct and the caller has sufficient permissions.", what, id)}
}

func forbidden(msg string) *APIError {
	return &APIError{Status: http.StatusForbidden, Code: "PowerBINotAuthorizedException", Message: msg}
}

func invalid(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "InvalidRequest", Message: fmt.Sprintf(format, args...)}
}
