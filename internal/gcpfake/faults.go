package gcpfake

import (
	"context"
	"path"
	"strings"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/internal/fakefault"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// faults holds the injected behaviour, per short method name. The empty
// name in latency applies to every method.
type faults struct {
	fakefault.Injector[error]
	conns fakefault.Conns // every connection served, so that a fault can drop one
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

// Applied is how a call that was carried out fails: with a gRPC status
// (Code, a codes.Code; UNAVAILABLE when zero) or a dropped connection
// (Drop), which the client sees as UNAVAILABLE too.
type Applied = fakefault.Applied

// FailAfterApply makes the next call of method on the resource called
// name ("" for any) take effect and then fail as a says instead of
// answering: the lost answer a client cannot tell from a call that never
// happened. name is the secret a call names (projects/p/secrets/s), also
// for calls on its versions. Several calls queue in order; a call takes
// its resource's fault before one queued for any.
func (s *Server) FailAfterApply(method, name string, a Applied) { s.f.FailAfterApply(method, name, a) }

// ClearFaults drops the faults FailAfterApply queued that no call took.
func (s *Server) ClearFaults() { s.f.ClearApplied() }

// interceptor counts each call and applies its faults: those FailNext
// queued before the method runs, those FailAfterApply queued after.
func (f *faults) interceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	method := path.Base(info.FullMethod)
	injected, _, err := f.Intercept(ctx, method)
	if err != nil {
		return nil, status.FromContextError(err).Err()
	}
	// FailNext with codes.OK queues a nil error, which faults nothing.
	if injected != nil {
		return nil, injected
	}
	resp, err := h(ctx, req)
	a, ok := f.TakeApplied(method, secretOf(req))
	switch {
	case !ok:
		return resp, err
	case a.Drop:
		if p, found := peer.FromContext(ctx); !found || !f.conns.Drop(p.Addr) {
			panic("gcpfake: the call's connection is not one the server tracks")
		}
		return nil, status.Error(codes.Unavailable, "the connection was dropped")
	}
	return nil, status.Error(codes.Code(a.CodeOr(int(codes.Unavailable))), "the call took effect, then the server failed to answer it")
}

// secretOf is the secret a request names, for calls on the secret and on
// its versions alike.
func secretOf(req any) string {
	var n string
	switch r := req.(type) {
	case *secretmanagerpb.CreateSecretRequest:
		return r.GetParent() + "/secrets/" + r.GetSecretId()
	case *secretmanagerpb.AddSecretVersionRequest:
		return r.GetParent()
	case *secretmanagerpb.ListSecretVersionsRequest:
		return r.GetParent()
	case *secretmanagerpb.UpdateSecretRequest:
		return r.GetSecret().GetName()
	case interface{ GetName() string }:
		n = r.GetName()
	}
	if sec, _, found := strings.Cut(n, "/versions/"); found {
		return sec
	}
	return n
}
