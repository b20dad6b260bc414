package canon

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://Vault.Example.com:443/":      "https://vault.example.com",
		"HTTPS://vault.example.com":           "https://vault.example.com",
		"http://127.0.0.1:80/a/../b/":         "http://127.0.0.1/b",
		"http://127.0.0.1:8200":               "http://127.0.0.1:8200",
		"https://[::1]:443":                   "https://[::1]",
		"https://[::1]:8200/x//y?q=1#f":       "https://[::1]:8200/x/y",
		"https://user:pw@sm.example.com:8443": "https://sm.example.com:8443",
		"http://host:443":                     "http://host:443",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, BaseURL(u), in)
	}
}
