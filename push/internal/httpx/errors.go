package httpx

import (
	"errors"
	"net/url"

	"github.com/snowpat/snowpat/push/driver"
)

// Problem is an error an adapter raises itself, with its class.
type Problem struct {
	// Tool prefixes the text: "tableau", "powerbi".
	Tool string
	Code driver.ErrorCode
	Msg  string
	Err  error
}

func (p *Problem) Error() string {
	s := p.Tool + ": " + p.Msg
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

func (p *Problem) Unwrap() error { return p.Err }

// NetError is a request that got no answer: the connection failed or was
// closed before the answer arrived, so the caller cannot tell whether a
// change was made. It is a net.Error, and classifies as unavailable.
type NetError struct {
	Tool, Method string
	Err          error
}

func (e *NetError) Error() string   { return e.Tool + ": " + e.Method + ": no answer: " + e.Err.Error() }
func (e *NetError) Unwrap() error   { return e.Err }
func (e *NetError) Timeout() bool   { return false }
func (e *NetError) Temporary() bool { return true }

// Transport wraps the error of a request that got no answer, without the
// request's URL, which url.Error repeats.
func Transport(tool, method string, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	return &NetError{Tool: tool, Method: method, Err: err}
}

// Code classifies the errors this package defines; ok is false for
// others.
func Code(err error) (driver.ErrorCode, bool) {
	if p, ok := errors.AsType[*Problem](err); ok && p.Code != driver.CodeUnknown {
		return p.Code, true
	}
	if _, ok := errors.AsType[*NetError](err); ok {
		return driver.CodeUnavailable, true
	}
	return driver.CodeUnknown, false
}
