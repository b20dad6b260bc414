package fakefault

import (
	"net"
	"strconv"
	"sync"
)

// Conns lets a gRPC fake drop the connection a call came in on, which an
// HTTP fake does by hijacking it (HangUp) and a gRPC handler cannot: the
// fake serves through Listen, and each connection it accepts reports a
// remote address of its own, which the call's peer.FromContext(ctx).Addr
// carries to Drop. (Addresses of their own, because in-memory listeners
// give every connection the same one.) The zero Conns is ready to use.
type Conns struct {
	mu    sync.Mutex
	seq   uint64
	conns map[string]net.Conn
}

// Listen returns l with every connection it accepts tracked.
func (c *Conns) Listen(l net.Listener) net.Listener { return &trackingListener{Listener: l, c: c} }

// Drop closes the connection whose remote address is addr and reports
// whether there was one.
func (c *Conns) Drop(addr net.Addr) bool {
	if addr == nil {
		return false
	}
	c.mu.Lock()
	conn := c.conns[addr.String()]
	c.mu.Unlock()
	if conn == nil {
		return false
	}
	_ = conn.Close()
	return true
}

func (c *Conns) add(nc net.Conn) net.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conns == nil {
		c.conns = map[string]net.Conn{}
	}
	c.seq++
	t := &trackedConn{Conn: nc, c: c, addr: connAddr("fakefault-conn-" + strconv.FormatUint(c.seq, 10))}
	c.conns[t.addr.String()] = t
	return t
}

func (c *Conns) remove(addr net.Addr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.conns, addr.String())
}

type trackingListener struct {
	net.Listener
	c *Conns
}

func (l *trackingListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.c.add(nc), nil
}

type trackedConn struct {
	net.Conn
	c    *Conns
	addr connAddr
}

func (t *trackedConn) RemoteAddr() net.Addr { return t.addr }

func (t *trackedConn) Close() error {
	t.c.remove(t.addr)
	return t.Conn.Close()
}

// connAddr is a tracked connection's address: unique, and meaningless
// outside Conns.
type connAddr string

func (a connAddr) Network() string { return "fakefault" }
func (a connAddr) String() string  { return string(a) }
