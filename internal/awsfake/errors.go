package awsfake

import "net/http"

// APIError is an error the fake answers with: an HTTP status and the
// "__type" and "Message" of the JSON body, as Secrets Manager sends them.
type APIError struct {
	Status  int
	Type    string
	Message string
}

func (e *APIError) Error() string { return e.Type + ": " + e.Message }

func clientError(typ, msg string) *APIError {
	return &APIError{Status: http.StatusBadRequest, Type: typ, Message: msg}
}

// The errors the operations return. Messages name secrets and versions,
// never values.
func notFound(msg string) *APIError { return clientError("ResourceNotFoundException", msg) }
func exists(msg string) *APIError   { return clientError("ResourceExistsException", msg) }
func invalidRequest(msg string) *APIError {
	return clientError("InvalidRequestException", msg)
}
func invalidParameter(msg string) *APIError {
	return clientError("InvalidParameterException", msg)
}
func validation(msg string) *APIError { return clientError("ValidationException", msg) }

// Throttling is the error a throttled request gets. The SDK retries it.
func Throttling() *APIError {
	return clientError("ThrottlingException", "Rate exceeded")
}

// InternalError is Secrets Manager's server-side failure, HTTP 500. The SDK
// retries it.
func InternalError() *APIError {
	return &APIError{Status: http.StatusInternalServerError, Type: "InternalServiceError", Message: "An error occurred on the server side."}
}

// AccessDenied is what IAM answers when the caller's policy does not allow
// the operation.
func AccessDenied() *APIError {
	return clientError("AccessDeniedException", "User is not authorized to perform this operation")
}

// ErrorOf returns an APIError of the given type with HTTP status 400, for
// errors the constructors above do not cover (LimitExceededException,
// DecryptionFailure, ...).
func ErrorOf(typ, msg string) *APIError { return clientError(typ, msg) }

// serverError is the answer of a server-side failure with the given 5xx
// status: InternalServiceError for 500, as Secrets Manager documents it,
// and the generic error AWS front ends answer for the others. The SDK
// retries every 5xx.
func serverError(status int) *APIError {
	if status == http.StatusInternalServerError {
		return InternalError()
	}
	return &APIError{Status: status, Type: "ServiceUnavailable", Message: "The service is unavailable. Try again later."}
}
