package fakefault_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/snowpat/snowpat/internal/fakefault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Faults after apply queue per key, come out in order, and the most
// specific key a call matches is served first.
func TestTakeApplied(t *testing.T) {
	var in fakefault.Injector[string]
	_, ok := in.TakeApplied("Put", "")
	assert.False(t, ok, "the zero Injector has none")

	in.FailAfterApply("Put", "", fakefault.Applied{Code: 503})
	in.FailAfterApply("Put", "s1", fakefault.Applied{Drop: true})
	in.FailAfterApply("Put", "", fakefault.Applied{})

	a, ok := in.TakeApplied("Put", "s2")
	require.True(t, ok)
	assert.Equal(t, fakefault.Applied{Code: 503}, a, "another resource's call takes the operation's fault")
	a, ok = in.TakeApplied("Put", "s1")
	require.True(t, ok)
	assert.True(t, a.Drop, "the resource's own fault comes first")
	a, ok = in.TakeApplied("Put", "s1")
	require.True(t, ok)
	assert.Equal(t, 500, a.CodeOr(500))
	assert.Equal(t, 503, fakefault.Applied{Code: 503}.CodeOr(500))
	_, ok = in.TakeApplied("Put", "s1")
	assert.False(t, ok, "all taken")

	in.FailAfterApply("Put", "", fakefault.Applied{})
	in.FailAfterApply("Get", "s", fakefault.Applied{})
	in.ClearApplied()
	_, ok = in.TakeApplied("Put", "")
	assert.False(t, ok, "ClearApplied drops every queue")
	_, ok = in.TakeApplied("Get", "s")
	assert.False(t, ok)
}

// AnswerHTTP hangs up for Drop, and otherwise has the fake write its
// error document with the fault's status, 500 by default.
func TestAnswerHTTP(t *testing.T) {
	for _, c := range []struct {
		a    fakefault.Applied
		want int
	}{{fakefault.Applied{}, 500}, {fakefault.Applied{Code: 502}, 502}} {
		w := httptest.NewRecorder()
		c.a.AnswerHTTP(w, func(status int) { w.WriteHeader(status) })
		assert.Equal(t, c.want, w.Code)
	}
	assert.Panics(t, func() {
		fakefault.Applied{Drop: true}.AnswerHTTP(httptest.NewRecorder(), func(int) { t.Error("a dropped call is not answered") })
	}, "a recorder cannot hang up")
}

// HangUp ends the connection without a response; the client sees a
// transport error, not a status.
func TestHangUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fakefault.HangUp(w) }))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err)
	assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF), "got %v", err)
	assert.Panics(t, func() { fakefault.HangUp(httptest.NewRecorder()) }, "a writer that cannot hang up must not answer instead")
}

// Conns gives each accepted connection an address of its own, and Drop
// closes the one named.
func TestConnsDrop(t *testing.T) {
	var c fakefault.Conns
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	l := c.Listen(raw)
	defer l.Close()

	accepted := make(chan net.Conn, 2)
	go func() {
		for range 2 {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- nc
		}
	}()
	dial := func() net.Conn {
		nc, err := net.Dial("tcp", raw.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { _ = nc.Close() })
		return nc
	}
	c1, c2 := dial(), dial()
	s1, s2 := <-accepted, <-accepted
	defer s2.Close()
	assert.NotEqual(t, s1.RemoteAddr().String(), s2.RemoteAddr().String())
	assert.Equal(t, "fakefault", s1.RemoteAddr().Network())

	// Which client is which does not matter: each server side is dropped
	// by its own address, and only it.
	require.True(t, c.Drop(s1.RemoteAddr()))
	_, err = s1.Read(make([]byte, 1))
	assert.Error(t, err, "the dropped connection is closed")
	_, err = s2.Write([]byte("x\n"))
	require.NoError(t, err, "the other is not")
	var got string
	for _, nc := range []net.Conn{c1, c2} {
		if line, err := bufio.NewReader(nc).ReadString('\n'); err == nil {
			got = line
		}
	}
	assert.Equal(t, "x\n", got, "one client still hears its server")

	assert.False(t, c.Drop(s1.RemoteAddr()), "a closed connection is forgotten")
	assert.False(t, c.Drop(nil))
}
