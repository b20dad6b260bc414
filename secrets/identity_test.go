package secrets_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/awssm"
	_ "github.com/snowpat/snowpat/secrets/azkv"
	"github.com/snowpat/snowpat/secrets/driver"
	_ "github.com/snowpat/snowpat/secrets/filestore"
	_ "github.com/snowpat/snowpat/secrets/gcpsm"
	_ "github.com/snowpat/snowpat/secrets/memstore"
	_ "github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offlineEnv gives the AWS and Vault adapters an environment that names
// a region and a server without any file or network behind it: the
// identities are computed from it, offline.
func offlineEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFAKEFAKEFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-key")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "")
	conf := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(conf, []byte("[profile other]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", conf)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("VAULT_ADDR", "https://vault.example.com:8200")
	t.Setenv("VAULT_AGENT_ADDR", "")
	t.Setenv("VAULT_NAMESPACE", "")
	t.Setenv("VAULT_TOKEN", "")
}

// Two spellings of one secret have one identity, and two secrets have
// two: the duplicate-store check a program builds on Identity finds
// "file:///x/a" and "file:///x/b/../a" to be one store, which comparing
// URL strings does not.
func TestIdentitySpellings(t *testing.T) {
	offlineEnv(t)
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, os.Mkdir(filepath.Join(tmp, "real"), 0o700))
	require.NoError(t, os.Symlink(filepath.Join(tmp, "real"), filepath.Join(tmp, "link")))
	file := func(p string) string { return "file://" + filepath.ToSlash(tmp) + p }

	for _, c := range []struct {
		a, b string
		same bool
		why  string
	}{
		{file("/x/a"), file("/x/b/../a"), true, "a '..' segment is cleaned away"},
		{file("/x/a"), file("/x/./a"), true, "a '.' segment is cleaned away"},
		{file("/x/a"), file("//x//a"), true, "doubled slashes are cleaned away"},
		{file("/x/a"), file("/x/a/"), true, "a final slash names the same directory"},
		{file("/real/s"), file("/link/s"), true, "a symlinked parent leads to the same directory"},
		{file("/x/a"), file("/x/A"), false, "file names are case-sensitive"},
		{file("/x/a"), file("/x/a/b"), false, "a subdirectory is another store"},

		{"mem://x/y", "mem://x/y?", true, "an empty query is no query"},
		{"mem://x/y", "mem://x/%79", true, "percent-escapes are decoded"},
		{"mem://x/y", "mem://x//y", false, "memstore keys by the name as written"},
		{"mem://x/y", "mem://X/y", false, "names are case-sensitive"},

		{"awssm://bi/p?region=eu-west-1", "awssm:///bi/p?region=eu-west-1", true, "the triple-slash form carries the same name"},
		{"awssm://bi/p?region=eu-west-1", "awssm://bi/p?region=eu-west-1&profile=other", true, "a profile picks credentials; the account is unknown offline, so it counts as the same"},
		{"awssm://bi/p", "awssm://bi/p?region=eu-west-1", true, "AWS_REGION gives the region the URL leaves out"},
		{"awssm://bi/p?region=eu-west-1&force_delete=true", "awssm://bi/p?recovery_window_days=7&region=eu-west-1", true, "delete options do not change the secret"},
		{"awssm://bi/p?region=eu-west-1", "awssm:///arn:aws:secretsmanager:eu-west-1:123456789012:secret:bi/p-AbC123", true, "a full ARN names a region and a friendly name"},
		{"awssm://bi/p?region=eu-west-1", "awssm:///arn:aws:secretsmanager:us-east-1:123456789012:secret:bi/p-AbC123", false, "the ARN's region is another"},
		{"awssm://bi/p?region=eu-west-1", "awssm://bi/p?region=us-east-1", false, "each region holds its own secrets"},
		{"awssm://bi/p?region=eu-west-1", "awssm://bi/P?region=eu-west-1", false, "names are case-sensitive"},
		{"awssm://bi/p?region=eu-west-1", "awssm://bi/p?region=eu-west-1&endpoint=http://127.0.0.1:4566", false, "another endpoint is another server"},
		{"awssm://bi/p?endpoint=http://127.0.0.1:4566/", "awssm://bi/p?endpoint=HTTP://127.0.0.1:4566", true, "endpoints are compared without case in scheme and host, and without a final slash"},
		{"awssm://bi/p?endpoint=https://sm.example.com:443", "awssm://bi/p?endpoint=https://SM.example.com", true, "443 is https's default port"},

		{"gcpsm://projects/p/secrets/s", "gcpsm://projects/p/secrets/s?destroy_retired=true", true, "how retired versions go does not change the secret"},
		{"gcpsm://projects/p/secrets/s", "gcpsm://projects/p/secrets/s?", true, "an empty query is no query"},
		{"gcpsm://projects/p/secrets/s", "gcpsm://projects/p/secrets/S", false, "secret ids are case-sensitive"},
		{"gcpsm://projects/p/secrets/s", "gcpsm://projects/q/secrets/s", false, "another project"},
		{"gcpsm://projects/p/secrets/s", "gcpsm://projects/p/secrets/s?emulator_host=127.0.0.1:8085", false, "an emulator is another server"},

		{"azkv://contoso/pat", "azkv://CONTOSO/PAT", true, "Key Vault compares vault and object names without case"},
		{"azkv://contoso/pat", "azkv://contoso/pat?vault_url=https://contoso.vault.azure.net/", true, "vault_url names the same vault"},
		{"azkv://contoso/pat", "azkv://other/pat?vault_url=https://Contoso.vault.azure.net:443", true, "vault_url decides the vault"},
		{"azkv://contoso/pat", "azkv://contoso/pat?content_type=text/plain", true, "the content type does not change the secret"},
		{"azkv://contoso/pat", "azkv://contoso/pat?vault_url=https://contoso.vault.azure.cn", false, "a sovereign cloud is another vault"},
		{"azkv://contoso/pat", "azkv://contoso/pat2", false, "another name"},

		{"vault://kv/team/p", "vault://kv/team/p/", true, "the adapter trims a final slash"},
		{"vault://kv/team/p", "vault://kv//team/p", true, "the adapter trims a leading slash"},
		{"vault://kv/team/p", "vault://kv/team/P", false, "Vault paths are case-sensitive"},
		{"vault://kv/team/p", "vault://secret/team/p", false, "another mount"},
	} {
		a, err := secrets.Identity(c.a)
		require.NoError(t, err, c.a)
		b, err := secrets.Identity(c.b)
		require.NoError(t, err, c.b)
		if c.same {
			assert.Equal(t, a, b, "%s and %s: %s", c.a, c.b, c.why)
		} else {
			assert.NotEqual(t, a, b, "%s and %s: %s", c.a, c.b, c.why)
		}
	}
}

// Identities that depend on the environment follow it as the openers
// do.
func TestIdentityFollowsEnvironment(t *testing.T) {
	offlineEnv(t)
	id := func(u string) string {
		s, err := secrets.Identity(u)
		require.NoError(t, err, u)
		return s
	}
	vaultID, awsID := id("vault://kv/p"), id("awssm://bi/p")

	t.Setenv("VAULT_ADDR", "HTTPS://Vault.Example.com:8200/")
	assert.Equal(t, vaultID, id("vault://kv/p"), "the same address, spelled otherwise")
	t.Setenv("VAULT_ADDR", "https://vault2.example.com:8200")
	assert.NotEqual(t, vaultID, id("vault://kv/p"), "another server")
	t.Setenv("VAULT_ADDR", "https://vault.example.com:8200")
	t.Setenv("VAULT_AGENT_ADDR", "http://127.0.0.1:8100")
	assert.NotEqual(t, vaultID, id("vault://kv/p"), "the client talks to the agent")
	t.Setenv("VAULT_AGENT_ADDR", "")
	t.Setenv("VAULT_NAMESPACE", "team-a/")
	nsA := id("vault://kv/p")
	assert.NotEqual(t, vaultID, nsA, "a namespace is another tree")
	t.Setenv("VAULT_NAMESPACE", "team-a")
	assert.Equal(t, nsA, id("vault://kv/p"))

	t.Setenv("AWS_REGION", "us-east-1")
	assert.NotEqual(t, awsID, id("awssm://bi/p"), "another region")
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:4566")
	assert.Equal(t, id("awssm://bi/p?region=us-east-1&endpoint=http://127.0.0.1:4566"), id("awssm://bi/p"),
		"an endpoint set in the environment counts as the URL's")
}

// A URL that cannot be opened has no identity, whatever the reason.
func TestIdentityRefusals(t *testing.T) {
	offlineEnv(t)
	for _, u := range []string{
		"", "no-scheme", "nope://x", "mem://x%", "mem://x?ttl=1", "mem://",
		"file:relative", "file://host/x", "file:///x?mode=1",
		"awssm://x?regoin=eu-west-1", "awssm://x:443", "awssm://x?endpoint=ftp://h",
		"awssm://x?insecure=maybe",
		"gcpsm://p/secrets/s", "gcpsm://projects/p/secrets/a.b", "gcpsm://projects/p/secrets/s?emulator_host=nohostport",
		"azkv://ab/s", "azkv://contoso/s?vault_url=http://contoso.vault.azure.net",
		"vault://kv/a?x=1", "vault://kv/a/../b", "vault://kv/a/.snowpat-stages", "vault://kv",
	} {
		_, err := secrets.Identity(u)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, u)
		if e, ok := errors.AsType[*secrets.Error](err); ok {
			assert.Equal(t, "Identity", e.Op, u)
		}
	}
}

// A scheme without an Identifier gets the fallback: scheme, host in
// lowercase, cleaned path; user info, query and fragment ignored. An
// Identifier's own errors are ErrInvalidArgument.
func TestIdentityFallbackAndRegistration(t *testing.T) {
	var m secrets.URLMux
	op := func(context.Context, *url.URL) (driver.Secret, error) { return &spy{}, nil }
	m.Register("plain", op)
	m.Register("own", op)
	m.RegisterIdentity("own", func(u *url.URL) (string, error) {
		if u.Host == "bad" {
			return "", errors.New("own: a bad host")
		}
		return "own:" + u.Host, nil
	})
	m.RegisterIdentity("opener-less", func(*url.URL) (string, error) { return "x", nil })

	same := []string{
		"plain://Host/a/c", "plain://host/a/b/../c", "plain://user:pw@HOST/a/./c?q=1#f", "plain://host//a/c/",
	}
	want, err := m.Identity(same[0])
	require.NoError(t, err)
	assert.Equal(t, "plain://host/a/c", want)
	for _, u := range same[1:] {
		got, err := m.Identity(u)
		require.NoError(t, err, u)
		assert.Equal(t, want, got, u)
		assert.NotContains(t, got, "pw", "user info is dropped")
	}
	for _, u := range []string{"plain://host/a/d", "plain://other/a/c", "plain://host:81/a/c"} {
		got, err := m.Identity(u)
		require.NoError(t, err, u)
		assert.NotEqual(t, want, got, u)
	}
	got, err := m.Identity("plain:opaque")
	require.NoError(t, err)
	assert.Equal(t, "plain:opaque", got)

	got, err = m.Identity("own://h/ignored?x=1")
	require.NoError(t, err)
	assert.Equal(t, "own:h", got)
	_, err = m.Identity("own://bad")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.ErrorContains(t, err, "own: a bad host")
	_, err = m.Identity("opener-less://x")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument, "an Identifier without an Opener names nothing that opens")

	op2 := func(*url.URL) (string, error) { return "", nil }
	assert.Panics(t, func() { m.RegisterIdentity("own", op2) }, "duplicate")
	assert.Panics(t, func() { m.RegisterIdentity("Upper", op2) }, "uppercase")
	assert.Panics(t, func() { m.RegisterIdentity("z", nil) }, "nil")
}
