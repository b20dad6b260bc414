package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
)

func TestAdminFromEnvironment(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	p8 := filepath.Join(dir, "p8.pem")
	require.NoError(t, os.WriteFile(p8, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	p1 := filepath.Join(dir, "p1.pem")
	require.NoError(t, os.WriteFile(p1, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600))

	t.Setenv("SNOWFLAKE_ACCOUNT", "xy12345")
	t.Setenv("SNOWFLAKE_USER", "ROTATOR")
	t.Setenv("SNOWFLAKE_PRIVATE_KEY_PATH", p8)
	t.Setenv("SNOWFLAKE_PORT", "8443")
	var a Admin
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	a.Register(fs)
	require.NoError(t, fs.Parse([]string{"--role", "SECURITYADMIN"}))
	cfg, err := a.Config()
	require.NoError(t, err)
	require.Equal(t, "xy12345", cfg.Account)
	require.Equal(t, "ROTATOR", cfg.User)
	require.Equal(t, "SECURITYADMIN", cfg.Role)
	require.Equal(t, 8443, cfg.Port)
	require.Equal(t, gosnowflake.AuthTypeJwt, cfg.Authenticator)
	require.True(t, key.Equal(cfg.PrivateKey))

	_, err = (&Admin{}).Config()
	require.ErrorContains(t, err, "--account")

	// The key itself given where its path belongs is refused without being
	// repeated. (Issue 17.7.)
	pemText, err := os.ReadFile(p8)
	require.NoError(t, err)
	a.PrivateKeyPath = string(pemText)
	_, err = a.Config()
	require.ErrorIs(t, err, pat.ErrInvalidArgument)
	require.NotContains(t, err.Error(), "PRIVATE KEY")

	// A passphrase file others can read is refused as the key would be.
	a.PrivateKeyPath = p1
	a.PassphraseFile = filepath.Join(dir, "pass")
	require.NoError(t, os.WriteFile(a.PassphraseFile, []byte("x\n"), 0o644))
	_, err = a.Config()
	require.ErrorIs(t, err, pat.ErrInsecureKeyFile)
}
