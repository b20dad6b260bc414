package driver

// ErrorCode classifies a driver error for the portable layer, which turns
// each code into one of package secrets' sentinel errors.
type ErrorCode uint8

// The codes. A driver returns CodeUnknown for anything it cannot classify;
// the portable layer then wraps the error without a code.
const (
	// CodeUnknown: not classified; not retryable as far as anyone knows.
	CodeUnknown ErrorCode = iota
	// CodeNotFound: the secret, the version or the stage does not exist, or
	// the version is disabled.
	CodeNotFound
	// CodeAlreadyExists: the backend keeps a deleted secret's name
	// reserved and refuses to create it again.
	CodeAlreadyExists
	// CodeConflict: a precondition failed (compare-and-swap lost), an
	// idempotency key was reused with a different value or metadata, or the
	// operation does not apply to the version's state (retiring the current
	// version, promoting a disabled one).
	CodeConflict
	// CodePermissionDenied: the credentials may not do this.
	CodePermissionDenied
	// CodeUnavailable: a transient failure (throttling, network, server
	// error); retrying the same call may succeed.
	CodeUnavailable
	// CodeInvalidArgument: the backend refused an argument the portable
	// layer let through (a name it does not accept, say).
	CodeInvalidArgument
	// CodeUnsupported: the backend cannot do this operation at all.
	CodeUnsupported
)

// String returns the code's name.
func (c ErrorCode) String() string {
	switch c {
	case CodeUnknown:
		return "unknown"
	case CodeNotFound:
		return "not found"
	case CodeAlreadyExists:
		return "already exists"
	case CodeConflict:
		return "conflict"
	case CodePermissionDenied:
		return "permission denied"
	case CodeUnavailable:
		return "unavailable"
	case CodeInvalidArgument:
		return "invalid argument"
	case CodeUnsupported:
		return "unsupported"
	}
	return "invalid code"
}
