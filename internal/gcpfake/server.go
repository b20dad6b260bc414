package gcpfake

import (
	"context"
	"net"
	"sync"
	"time"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// Server is an in-process Secret Manager. Its methods are safe for
// concurrent use.
type Server struct {
	secretmanagerpb.UnimplementedSecretManagerServiceServer

	grpc *grpc.Server
	lis  *bufconn.Listener
	f    faults
	wg   sync.WaitGroup

	mu       sync.Mutex
	secrets  map[string]*secret // by resource name
	now      func() time.Time
	etagCode codes.Code
	etagSeq  uint64
	conns    []*grpc.ClientConn
}

// New starts a Server on an in-memory listener. Close it when done.
func New() *Server {
	s := &Server{
		secrets:  map[string]*secret{},
		now:      time.Now,
		etagCode: codes.Aborted,
		lis:      bufconn.Listen(1 << 20),
	}
	s.grpc = grpc.NewServer(grpc.UnaryInterceptor(s.f.interceptor))
	secretmanagerpb.RegisterSecretManagerServiceServer(s.grpc, s)
	s.serve(s.lis)
	return s
}

func (s *Server) serve(l net.Listener) {
	s.wg.Go(func() { _ = s.grpc.Serve(s.f.conns.Listen(l)) })
}

// ListenTCP serves the same secrets on a loopback TCP port as well, for
// clients made from an endpoint address, and returns "127.0.0.1:port".
func (s *Server) ListenTCP() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s.serve(l)
	return l.Addr().String(), nil
}

// Dial returns a connection to the server over the in-memory listener.
// Close closes it if the caller has not.
func (s *Server) Dial() (*grpc.ClientConn, error) {
	conn, err := grpc.NewClient("passthrough:///gcpfake",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return s.lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.conns = append(s.conns, conn)
	s.mu.Unlock()
	return conn, nil
}

// NewClient returns a real Secret Manager client connected to the server.
// The one method the client retries by default, AccessSecretVersion,
// backs off for a millisecond instead of two seconds, so that a test
// injecting UNAVAILABLE does not wait. Close the client when done (Close
// on the server closes its connection too).
func (s *Server) NewClient(ctx context.Context) (*secretmanager.Client, error) {
	conn, err := s.Dial()
	if err != nil {
		return nil, err
	}
	c, err := secretmanager.NewClient(ctx, option.WithGRPCConn(conn))
	if err != nil {
		return nil, err
	}
	c.CallOptions.AccessSecretVersion = []gax.CallOption{
		gax.WithRetry(func() gax.Retryer {
			return gax.OnCodes([]codes.Code{codes.Unavailable, codes.ResourceExhausted},
				gax.Backoff{Initial: time.Millisecond, Max: time.Millisecond, Multiplier: 1})
		}),
	}
	return c, nil
}

// Close releases held calls, stops the server at once and closes the
// connections Dial made, so that no goroutine outlives it.
func (s *Server) Close() {
	s.f.Close()
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
	s.grpc.Stop()
	s.wg.Wait()
}

// SetClock replaces the server's clock, which stamps creation and
// destruction times.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetEtagCode sets the status a stale etag gets: ABORTED by default, as
// AIP-154 requires, or FAILED_PRECONDITION, as some services answer.
func (s *Server) SetEtagCode(c codes.Code) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.etagCode = c
}
