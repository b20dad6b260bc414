package gcpfake

import (
	"context"
	"path"
	"time"

	"github.com/snowpat/snowpat/internal/fakefault"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// faults holds the injected behaviour, per short method name. The empty
// name in latency applies to every method.
type faults struct {
	fakefault.Injector[error]
}

// Gate is a held call: Arrived is closed when the call reaches the server,
// and the call proceeds when Release is called (or its client gives up).
// It is the type every fake shares.
type Gate = fakefault.Gate

// FailNext makes the next call of method fail with code and msg. Several
// calls queue in order. method is a short name such as
// "AccessSecretVersion".
func (s *Server) FailNext(method string, code codes.Code, msg string) {
	s.f.FailNext(method, status.Error(code, msg))
}

// SetLatency delays every later call of method by d; method "" delays
// every method. A call whose client gives up stops waiting. Zero removes
// the delay.
func (s *Server) SetLatency(method string, d time.Duration) { s.f.SetLatency(method, d) }

// Hold parks the next call of method on the returned Gate until the test
// releases it, so that a test can act while a call is in flight without
// sleeping.
func (s *Server) Hold(method string) *Gate { return s.f.Hold(method) }

// Calls returns how many calls of method the server has received,
// including failed and faulted ones.
func (s *Server) Calls(method string) int { return s.f.Calls(method) }

// ResetCalls sets every counter back to zero.
func (s *Server) ResetCalls() { s.f.ResetCalls() }

// interceptor counts each call and applies its faults before the method
// runs.
func (f *faults) interceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	injected, _, err := f.Intercept(ctx, path.Base(info.FullMethod))
	if err != nil {
		return nil, status.FromContextError(err).Err()
	}
	// FailNext with codes.OK queues a nil error, which faults nothing.
	if injected != nil {
		return nil, injected
	}
	return h(ctx, req)
}
