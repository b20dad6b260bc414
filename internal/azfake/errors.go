package azfake

import (
	"fmt"
	"net/http"
)

// APIError is an error response: an HTTP status with the service's error
// body. Tests pass one to FailNext.
type APIError struct {
	Status  int
	Code    string // error.code, such as "SecretNotFound" or "Forbidden"
	Inner   string // error.innererror.code, such as "SecretDisabled"; optional
	Message string
	// RetryAfter, when positive, is sent as the Retry-After header, in
	// seconds, as Key Vault does with 429 throttling.
	RetryAfter int
}

func (e *APIError) body() errorJSON {
	b := errorJSON{Error: errorBody{Code: e.Code, Message: e.Message}}
	if e.Inner != "" {
		b.Error.InnerError = &innerJSON{Code: e.Inner}
	}
	return b
}

// Errors the service returns, and ones tests commonly inject.
var (
	// ErrThrottled is the service's answer to too many requests.
	ErrThrottled = &APIError{Status: http.StatusTooManyRequests, Code: "Throttled", Message: "Request was not processed because too many requests were received."}
	// ErrUnavailable is a transient server failure.
	ErrUnavailable = &APIError{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable", Message: "The service is temporarily unavailable."}
	// ErrForbidden is an access policy or RBAC refusal.
	ErrForbidden = &APIError{Status: http.StatusForbidden, Code: "Forbidden", Inner: "ForbiddenByPolicy", Message: "The user, group or application does not have secrets permission on this key vault."}
)

func notFound(name string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "SecretNotFound",
		Message: fmt.Sprintf("A secret with (name/id) %s was not found in this key vault.", name)}
}

func versionNotFound(name, id string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "SecretNotFound",
		Message: fmt.Sprintf("A secret with (name/id) %s/%s was not found in this key vault.", name, id)}
}

func disabled() *APIError {
	return &APIError{Status: http.StatusForbidden, Code: "Forbidden", Inner: "SecretDisabled",
		Message: "Operation get is not allowed on a disabled secret."}
}

func deletedNotFound(name string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "SecretNotFound",
		Message: fmt.Sprintf("Deleted Secret %s not found.", name)}
}

func reserved(name string) *APIError {
	return &APIError{Status: http.StatusConflict, Code: "Conflict", Inner: "ObjectIsDeletedButRecoverable",
		Message: fmt.Sprintf("Secret %s is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.", name)}
}

func badParameter(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "BadParameter", Message: fmt.Sprintf(format, args...)}
}

func unauthorized() *APIError {
	return &APIError{Status: http.StatusUnauthorized, Code: "Unauthorized", Message: "Request is missing a Bearer or PoP token."}
}

// serverError is a server-side failure with the given status, in the
// service's error shape. azcore retries 500, 502, 503 and 504.
func serverError(status int) *APIError {
	if status == http.StatusServiceUnavailable {
		return ErrUnavailable
	}
	return &APIError{Status: status, Code: "InternalServerError", Message: "The server encountered an internal error. Please retry the request."}
}
