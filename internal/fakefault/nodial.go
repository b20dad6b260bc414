package fakefault

import (
	"context"
	"errors"
	"net"
	"slices"
	"sync"
)

// ErrNotDialed is what NoDial's dial functions return.
var ErrNotDialed = errors.New("fakefault: the connection was intercepted, not dialed")

// NoDial records where a client tries to connect and connects nowhere:
// every dial fails with ErrNotDialed. A test installs its Dial (or
// DialAddr, for gRPC's dialer) as a client's dialer to show where an
// address taken from a URL or the environment would send a request,
// without any packet leaving the machine. Its zero value is ready to
// use, and it is safe for concurrent use.
type NoDial struct {
	mu    sync.Mutex
	addrs []string
}

// Dial records addr and fails, in the shape of net.Dialer.DialContext.
func (d *NoDial) Dial(_ context.Context, _, addr string) (net.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, addr)
	return nil, ErrNotDialed
}

// DialAddr is Dial in the shape of grpc.WithContextDialer's function.
func (d *NoDial) DialAddr(ctx context.Context, addr string) (net.Conn, error) {
	return d.Dial(ctx, "tcp", addr)
}

// Addrs returns the distinct addresses dialled so far, sorted.
func (d *NoDial) Addrs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := slices.Clone(d.addrs)
	slices.Sort(out)
	return slices.Compact(out)
}
