package idem_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"testing"

	"github.com/snowpat/snowpat/secrets/internal/idem"
	"github.com/stretchr/testify/assert"
)

// The marks are stored by the backends, so they must never change: these
// are the values azkv (12 bytes) and vault (16 bytes) have been writing.
func TestMarksAreStable(t *testing.T) {
	for _, c := range []struct {
		size        int
		key, value  string
		lookup, sum string
	}{
		{12, "k1", "hunter2", "wXM6WxokmArp153x", "yvrAv98ShZ-NPjUB"},
		{12, "k1", "", "wXM6WxokmArp153x", "2PqSNN8zb57ATg5S"},
		{16, "k1", "hunter2", "wXM6WxokmArp153xkWC3hQ", "yvrAv98ShZ-NPjUBgut8ug"},
		{16, "k1", "", "wXM6WxokmArp153xkWC3hQ", "2PqSNN8zb57ATg5SshI8LQ"},
	} {
		lookup, sum := idem.Marks(c.key, []byte(c.value), c.size)
		assert.Equal(t, c.lookup, lookup, "%d %q", c.size, c.value)
		assert.Equal(t, c.sum, sum, "%d %q", c.size, c.value)
	}
}

// No key, no marks: such a write is never replayed.
func TestMarksWithoutKey(t *testing.T) {
	lookup, sum := idem.Marks("", []byte("v"), 16)
	assert.Empty(t, lookup)
	assert.Empty(t, sum)
}

// The lookup id depends on the key alone, the value MAC on both.
func TestMarksDependOn(t *testing.T) {
	l1, s1 := idem.Marks("k1", []byte("a"), 16)
	l2, s2 := idem.Marks("k1", []byte("b"), 16)
	l3, s3 := idem.Marks("k2", []byte("a"), 16)
	assert.Equal(t, l1, l2)
	assert.NotEqual(t, s1, s2)
	assert.NotEqual(t, l1, l3)
	assert.NotEqual(t, s1, s3)
	assert.NotEqual(t, l1, s1)
}

// The caller's value is left as it was.
func TestMarksKeepValue(t *testing.T) {
	v := make([]byte, 3, 64)
	copy(v, "abc")
	idem.Marks("k", v, 12)
	assert.Equal(t, []byte("abc"), v)
}

// Failures without a response are transport errors, wrapped or not; an
// answer, however bad, and a context's end are not.
func TestIsTransport(t *testing.T) {
	for _, err := range []error{
		io.EOF,
		io.ErrUnexpectedEOF,
		fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		&url.Error{Op: "Get", URL: "https://vault", Err: errors.New("refused")},
		&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded},
	} {
		assert.True(t, idem.IsTransport(err), "%v", err)
	}
	for _, err := range []error{
		nil,
		errors.New("403 Forbidden"),
		context.Canceled,
	} {
		assert.False(t, idem.IsTransport(err), "%v", err)
	}
}
