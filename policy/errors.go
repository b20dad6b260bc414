package policy

import "errors"

// ErrFailed wraps the last error of a target that exhausted its retries;
// the cause stays reachable with errors.Is and errors.As.
var ErrFailed = errors.New("policy: target failed")

// ErrInvalidArgument is returned by constructors given what they cannot
// work with (a nil store, a missing client).
var ErrInvalidArgument = errors.New("policy: invalid argument")

// ErrSharedStore is the cause of a target refused or blocked because one
// of its stores is another target's: two targets writing one secret would
// overwrite each other's token on every pass. It is an ErrInvalidTarget.
var ErrSharedStore = error(&kindError{"policy: a store is shared with another target", ErrInvalidTarget})

// kindError is a sentinel that belongs to a broader one, so that a caller
// can test for either.
type kindError struct {
	msg    string
	parent error
}

func (k *kindError) Error() string { return k.msg }
func (k *kindError) Unwrap() error { return k.parent }
