package pat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// keyFile copies a fixture into a private temporary file with mode.
func keyFile(t *testing.T, name string, mode os.FileMode) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "keys", name))
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	require.NoError(t, os.Chmod(p, mode))
	return p
}

// Every form openssl writes loads, to the same key. (Issue 17.9.)
func TestLoadPrivateKeyForms(t *testing.T) {
	want, err := LoadPrivateKey(keyFile(t, "plain-pkcs8.pem", 0o600), nil)
	require.NoError(t, err)
	for _, c := range []struct {
		file string
		pass string
	}{
		{"plain-pkcs1.pem", ""},
		{"enc-aes256.p8", "correct-horse"},
		{"enc-des3.p8", "correct-horse"},
		{"enc-aes128-sha512.p8", "correct-horse"},
	} {
		var pass []byte
		if c.pass != "" {
			pass = []byte(c.pass)
		}
		got, err := LoadPrivateKey(keyFile(t, c.file, 0o400), pass)
		require.NoError(t, err, c.file)
		require.True(t, want.Equal(got), c.file)
	}
}

func TestLoadPrivateKeyRefusals(t *testing.T) {
	pem, err := os.ReadFile(filepath.Join("testdata", "keys", "plain-pkcs8.pem"))
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		path func(t *testing.T) string
		pass string
		is   error
		says string
	}{
		{"group-readable", func(t *testing.T) string { return keyFile(t, "plain-pkcs8.pem", 0o640) }, "", ErrInsecureKeyFile, "chmod 600"},
		{"world-readable", func(t *testing.T) string { return keyFile(t, "plain-pkcs8.pem", 0o644) }, "", ErrInsecureKeyFile, "0644"},
		{"a directory", func(t *testing.T) string { return t.TempDir() }, "", ErrInsecureKeyFile, "not a regular file"},
		{"a symlink", func(t *testing.T) string {
			p := keyFile(t, "plain-pkcs8.pem", 0o600)
			l := filepath.Join(t.TempDir(), "link")
			require.NoError(t, os.Symlink(p, l))
			return l
		}, "", ErrInsecureKeyFile, "not a regular file"},
		{"the key given as the path", func(*testing.T) string { return string(pem) }, "", ErrInvalidArgument, "looks like a key"},
		{"encrypted, no passphrase", func(t *testing.T) string { return keyFile(t, "enc-aes256.p8", 0o600) }, "", ErrInvalidArgument, "no passphrase"},
		{"encrypted, wrong passphrase", func(t *testing.T) string { return keyFile(t, "enc-aes256.p8", 0o600) }, "battery-staple", ErrInvalidArgument, "wrong passphrase"},
		{"not PEM", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "k")
			require.NoError(t, os.WriteFile(p, []byte("hello"), 0o600))
			return p
		}, "", ErrInvalidArgument, "no PEM block"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var pass []byte
			if c.pass != "" {
				pass = []byte(c.pass)
			}
			_, err := LoadPrivateKey(c.path(t), pass)
			require.ErrorIs(t, err, c.is)
			require.Contains(t, err.Error(), c.says)
			require.NotContains(t, err.Error(), "BEGIN", "the error repeats the key")
			require.NotContains(t, err.Error(), strings.Split(string(pem), "\n")[1][:20])
			require.NotContains(t, err.Error(), "battery")
		})
	}
}
