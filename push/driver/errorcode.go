package driver

// ErrorCode classifies a driver error for the portable layer, which turns
// each code into one of package push's sentinel errors.
type ErrorCode uint8

// The codes.
const (
	// CodeUnknown: not classified.
	CodeUnknown ErrorCode = iota
	// CodeNotFound: the server, site, workspace, content or connection
	// does not exist (or the caller may not see it).
	CodeNotFound
	// CodePermissionDenied: the BI API's credentials are valid but may not
	// do this.
	CodePermissionDenied
	// CodeUnauthenticated: the BI API refused the credentials themselves
	// (an expired Tableau personal access token, an Entra token the API
	// does not accept).
	CodeUnauthenticated
	// CodeUnavailable: a transient failure (throttling, a server error,
	// the network) that outlasted the driver's retries.
	CodeUnavailable
	// CodeInvalidArgument: the tool refused a request or answered in a way
	// the documented rules exclude (a gateway key that does not parse, two
	// data sources of the same name); retrying cannot help.
	CodeInvalidArgument
	// CodeUnsupported: the tool cannot do this for this content (a live
	// Tableau connection has no refresh to run).
	CodeUnsupported
	// CodeRefreshFailed: a refresh ran and failed.
	CodeRefreshFailed
)

// String returns the code's name.
func (c ErrorCode) String() string {
	switch c {
	case CodeUnknown:
		return "unknown"
	case CodeNotFound:
		return "not found"
	case CodePermissionDenied:
		return "permission denied"
	case CodeUnauthenticated:
		return "unauthenticated"
	case CodeUnavailable:
		return "unavailable"
	case CodeInvalidArgument:
		return "invalid argument"
	case CodeUnsupported:
		return "unsupported"
	case CodeRefreshFailed:
		return "refresh failed"
	}
	return "invalid code"
}
