package azkv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/canon"
)

// Scheme is the URL scheme azkv registers with package secrets.
const Scheme = "azkv"

// The query parameters an azkv URL may carry.
const (
	// ParamVaultURL replaces https://<vault-name>.vault.azure.net, for a
	// sovereign cloud (https://<vault-name>.vault.azure.cn) or a test
	// server. It must be https: azcore sends no token over plain HTTP.
	ParamVaultURL = "vault_url"
	// ParamContentType sets Options.ContentType.
	ParamContentType = "content_type"
)

func init() {
	secrets.Register(Scheme, openURL)
	secrets.RegisterIdentity(Scheme, identity)
}

// These build the client for a URL; tests replace them to reach a fake
// vault over its own TLS certificate.
var (
	urlCredential    = func() (azcore.TokenCredential, error) { return azidentity.NewDefaultAzureCredential(nil) }
	urlClientOptions = func() *azsecrets.ClientOptions { return nil }
)

var errBadURL = errors.New(`azkv: want "azkv://<vault-name>/<secret-name>" with no user, port or fragment`)

// openURL opens "azkv://<vault-name>/<secret-name>".
func openURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	if err := secrets.CheckQuery(u, ParamVaultURL, ParamContentType); err != nil {
		return nil, err
	}
	vaultURL, name, err := parseURL(u)
	if err != nil {
		return nil, err
	}
	cred, err := urlCredential()
	if err != nil {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrPermissionDenied, Err: err}
	}
	c, err := azsecrets.NewClient(vaultURL, cred, urlClientOptions())
	if err != nil {
		return nil, err
	}
	return newSecret(c, name, &Options{ContentType: u.Query().Get(ParamContentType)})
}

// identity is "azkv://<vault host>/<secret name>", both in lowercase:
// Key Vault compares object identifiers case-insensitively, and the vault
// is the host the client connects to (vault_url's when it is given, so
// "azkv://a/s?vault_url=https://b.vault.azure.net" is vault b's secret
// s), with a port only when it is not 443.
func identity(u *url.URL) (string, error) {
	if err := secrets.CheckQuery(u, ParamVaultURL, ParamContentType); err != nil {
		return "", err
	}
	vaultURL, name, err := parseURL(u)
	if err != nil {
		return "", err
	}
	vu, err := url.Parse(vaultURL)
	if err != nil {
		return "", err
	}
	return Scheme + "://" + canon.Host(vu) + "/" + strings.ToLower(name), nil
}

// parseURL returns the vault URL and the secret name u names.
func parseURL(u *url.URL) (vaultURL, name string, err error) {
	if u.Opaque != "" || u.User != nil || u.Fragment != "" || u.Port() != "" {
		return "", "", errBadURL
	}
	vault := strings.ToLower(u.Hostname())
	if err := checkVaultName(vault); err != nil {
		return "", "", err
	}
	name = strings.TrimPrefix(u.Path, "/")
	if err := checkName(name); err != nil {
		return "", "", err
	}
	vaultURL = "https://" + vault + ".vault.azure.net"
	if o := u.Query().Get(ParamVaultURL); o != "" {
		ou, err := url.Parse(o)
		if err != nil || ou.Scheme != "https" || ou.Host == "" || (ou.Path != "" && ou.Path != "/") || ou.RawQuery != "" || ou.User != nil {
			return "", "", fmt.Errorf("azkv: %s must be an https URL with nothing after the host", ParamVaultURL)
		}
		vaultURL = strings.TrimSuffix(o, "/")
	}
	return vaultURL, name, nil
}

// checkVaultName applies Azure's rule for vault names: 3 to 24 letters,
// digits and hyphens, starting with a letter, ending with a letter or
// digit, without two hyphens in a row. The caller lowers v: vault names
// are not case-sensitive.
func checkVaultName(v string) error {
	ok := len(v) >= 3 && len(v) <= 24 && v[0] >= 'a' && v[0] <= 'z' && v[len(v)-1] != '-' && !strings.Contains(v, "--")
	for i := 0; ok && i < len(v); i++ {
		c := v[i]
		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
	}
	if !ok {
		return fmt.Errorf("azkv: %q is not a vault name (3 to 24 letters, digits and '-', starting with a letter)", v)
	}
	return nil
}
