package urlmux

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

type opener func() string

func TestRegistry(t *testing.T) {
	var r Registry[opener]
	require.Equal(t, "none", r.SchemeList())
	r.Register("pkg", "mem", func() string { return "m" })
	r.Register("pkg", "file", func() string { return "f" })
	require.Equal(t, []string{"file", "mem"}, r.Schemes())
	op, ok := r.Lookup("mem")
	require.True(t, ok)
	require.Equal(t, "m", op())
	_, ok = r.Lookup("nope")
	require.False(t, ok)
	require.PanicsWithValue(t, `pkg: Register: scheme "mem" registered twice`, func() { r.Register("pkg", "mem", func() string { return "" }) })
	require.PanicsWithValue(t, `pkg: Register: invalid scheme "Mem"`, func() { r.Register("pkg", "Mem", func() string { return "" }) })
	require.PanicsWithValue(t, `pkg: Register: nil opener for scheme "x"`, func() { r.Register("pkg", "x", nil) })
}

func TestBadQuery(t *testing.T) {
	u, _ := url.Parse("mem://x?a=1&b=2&b=3&zz=1")
	k, rep, mal := BadQuery(u, []string{"a", "b"}, false)
	require.Equal(t, "zz", k)
	require.False(t, rep || mal)
	k, rep, _ = BadQuery(u, []string{"a", "b", "zz"}, true)
	require.Equal(t, "b", k)
	require.True(t, rep)
	k, _, _ = BadQuery(u, []string{"a", "b", "zz"}, false)
	require.Empty(t, k)
	u.RawQuery = "a=%zz"
	_, _, mal = BadQuery(u, nil, false)
	require.True(t, mal)
}
