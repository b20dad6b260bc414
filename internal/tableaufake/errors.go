package tableaufake

import (
	"fmt"
	"net/http"
)

// APIError is an error answer: an HTTP status and Tableau's error element.
// Tests pass one to FailNext.
type APIError struct {
	Status  int
	Code    string // Tableau's numeric code, such as "401002"
	Summary string
	Detail  string
	// RetryAfter, when positive, is sent as a Retry-After header in
	// seconds.
	RetryAfter int
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Summary) }

// Errors tests commonly inject, in the shapes the server uses. Copy one
// before changing it.
var (
	// ErrSessionExpired is the answer to a missing, expired or signed-out
	// session token.
	ErrSessionExpired = &APIError{Status: http.StatusUnauthorized, Code: "401002", Summary: "Unauthorized Access", Detail: "Invalid authentication credentials were provided."}
	// ErrSignInFailed is the answer to a bad personal access token or JWT.
	ErrSignInFailed = &APIError{Status: http.StatusUnauthorized, Code: "401001", Summary: "Signin Error", Detail: "Error signing in to Tableau Server"}
	// ErrForbidden is a refusal for lack of permission.
	ErrForbidden = &APIError{Status: http.StatusForbidden, Code: "403004", Summary: "Update Forbidden", Detail: "The user does not have permission to update this item."}
	// ErrThrottled is a rate limit. Tableau documents the 429 status but
	// not its body; the fake sends an error element like every other
	// error, and a Retry-After of one second.
	ErrThrottled = &APIError{Status: http.StatusTooManyRequests, Code: "429000", Summary: "Too Many Requests", Detail: "Rate limit exceeded.", RetryAfter: 1}
	// ErrUnavailable is a transient server failure.
	ErrUnavailable = &APIError{Status: http.StatusServiceUnavailable, Code: "503000", Summary: "Service Unavailable", Detail: "The server is temporarily unavailable."}
	// ErrNotFound is a generic missing resource.
	ErrNotFound = &APIError{Status: http.StatusNotFound, Code: "404003", Summary: "Resource Not Found", Detail: "Unknown resource specified in URI."}
)

// The not-found codes per kind of thing. The reference lists a code per
// resource; where the fake could not confirm one it uses 404003's family
// with a distinct number, which is all a client can rely on anyway (the
// 404 status and the 404xxx prefix).
func siteNotFound() *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "404000", Summary: "Site not found", Detail: "The site ID in the URI doesn't correspond to an existing site."}
}

func contentNotFound(kind, id string) *APIError {
	code := "404011" // data source
	if kind == kindWorkbook {
		code = "404006"
	}
	return &APIError{Status: http.StatusNotFound, Code: code, Summary: kind + " not found", Detail: fmt.Sprintf("The %s ID '%s' in the URI doesn't correspond to an existing %s.", kind, id, kind)}
}

func connectionNotFound(id string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "404020", Summary: "Connection not found", Detail: fmt.Sprintf("The connection ID '%s' in the URI doesn't correspond to an existing connection.", id)}
}

func jobNotFound(id string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "404031", Summary: "Job not found", Detail: fmt.Sprintf("The job ID '%s' doesn't correspond to an existing job.", id)}
}

func unknownResource(path string) *APIError {
	return &APIError{Status: http.StatusNotFound, Code: "404003", Summary: "Resource Not Found", Detail: fmt.Sprintf("Unknown resource '%s' specified in URI.", path)}
}

func badRequest(code, summary, format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: code, Summary: summary, Detail: fmt.Sprintf(format, args...)}
}

func forbidden(detail string) *APIError {
	e := *ErrForbidden
	e.Detail = detail
	return &e
}
