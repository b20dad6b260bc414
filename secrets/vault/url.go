package vault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/canon"
)

// Scheme is the URL scheme this package registers with package secrets.
const Scheme = "vault"

// InsecureEnv names the environment variable that lets a vault:// store
// talk to a Vault server over plain http on a host that is not loopback:
// "true" accepts it (with a warning logged each time a store is opened),
// "false" or unset refuses it. Over http the Vault token, and every value
// read or written, cross the network unencrypted.
const InsecureEnv = "SNOWPAT_VAULT_INSECURE"

func init() {
	secrets.Register(Scheme, openURL)
	secrets.RegisterIdentity(Scheme, identity)
}

var errBadURL = errors.New(`vault: want "vault://<mount>/<path>" with no user, port, query or fragment`)

// testDial, when a test sets it, replaces the client's dialer, so that a
// test can see where a store opened by URL would connect without
// connecting anywhere.
var testDial func(ctx context.Context, network, addr string) (net.Conn, error)

// openURL opens "vault://<mount>/<path>" with a client configured from the
// environment as the Vault CLI's is: VAULT_ADDR, VAULT_AGENT_ADDR,
// VAULT_TOKEN, VAULT_NAMESPACE, VAULT_CACERT and the rest that
// api.DefaultConfig and api.NewClient read. An http address is refused
// unless its host is loopback or InsecureEnv is "true".
func openURL(ctx context.Context, u *url.URL) (driver.Secret, error) {
	mount, path, err := parseURL(u)
	if err != nil {
		return nil, err
	}
	c, cfg, err := envClient()
	if err != nil {
		return nil, err
	}
	if err := checkAddress(ctx, cfg.Address); err != nil {
		return nil, err
	}
	if tr, ok := cfg.HttpClient.Transport.(*http.Transport); ok && testDial != nil {
		tr.DialContext = testDial
	}
	d, err := newSecret(c, mount, path)
	if err != nil {
		return nil, err
	}
	return &ownedClient{secret: d, hc: cfg.HttpClient}, nil
}

// envClient builds the client the environment describes. It sends
// nothing; afterwards cfg.Address is the address the client will use
// (VAULT_AGENT_ADDR's when it is set, else VAULT_ADDR's, else Vault's
// default https://127.0.0.1:8200).
func envClient() (*api.Client, *api.Config, error) {
	cfg := api.DefaultConfig()
	if cfg.Error != nil {
		return nil, nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: cfg.Error}
	}
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	return c, cfg, nil
}

// checkAddress allows https and unix-socket addresses, and http to a
// loopback host; http elsewhere only with InsecureEnv set to "true".
func checkAddress(ctx context.Context, addr string) error {
	a, err := url.Parse(addr)
	if err != nil {
		return &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("vault: the server address does not parse")}
	}
	if a.Scheme != "http" {
		return nil
	}
	var insecure bool
	switch v := os.Getenv(InsecureEnv); v {
	case "", "false":
	case "true":
		insecure = true
	default:
		return &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: fmt.Errorf("vault: %s is true or false", InsecureEnv)}
	}
	return secrets.Cleartext{
		Scheme:   Scheme,
		Host:     a.Hostname(),
		Risk:     "the Vault address is plain http: the Vault token and every secret value would cross the network unencrypted",
		Allow:    "use https, or set " + InsecureEnv + "=true",
		Insecure: insecure,
	}.Check(ctx)
}

// identity is "vault://<mount>/<path>?addr=<address>", with
// "&namespace=<namespace>" when VAULT_NAMESPACE is set: the server the
// environment names (as the opener reads it; the address with its scheme
// and host in lowercase and without a default port), then where in it.
//
// What it cannot see, erring towards "different": one server reached by
// two addresses (an agent and the server itself, a name and an IP), and
// a namespace written into the mount instead of VAULT_NAMESPACE.
func identity(u *url.URL) (string, error) {
	mount, p, err := parseURL(u)
	if err != nil {
		return "", err
	}
	// As newSecret does: "vault://kv/a/" is "vault://kv/a".
	mount, p = strings.Trim(mount, "/"), strings.Trim(p, "/")
	if err := checkPath("mount", mount); err != nil {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	if err := checkPath("path", p); err != nil {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	_, cfg, err := envClient()
	if err != nil {
		return "", err
	}
	q := url.Values{"addr": {normalAddress(cfg.Address)}}
	if ns := strings.Trim(os.Getenv(api.EnvVaultNamespace), "/"); ns != "" {
		q.Set("namespace", ns)
	}
	return (&url.URL{Scheme: Scheme, Host: mount, Path: "/" + p, RawQuery: q.Encode()}).String(), nil
}

// normalAddress spells a Vault address one way (see canon.BaseURL); a
// unix socket's stays as it is.
func normalAddress(addr string) string {
	a, err := url.Parse(addr)
	if err != nil || a.Scheme == "unix" {
		return addr
	}
	return canon.BaseURL(a)
}

// parseURL returns the mount and path u names. The mount is the host, so
// it is one segment; a nested mount needs New.
func parseURL(u *url.URL) (mount, path string, err error) {
	if err := secrets.CheckQuery(u); err != nil {
		return "", "", err
	}
	if u.Opaque != "" || u.User != nil || u.Fragment != "" || u.Port() != "" || u.Host == "" {
		return "", "", errBadURL
	}
	path = strings.TrimPrefix(u.Path, "/")
	if path == "" {
		return "", "", errBadURL
	}
	return u.Host, path, nil
}

// ownedClient is a driver whose client the opener made, so that Close
// can release its idle connections.
type ownedClient struct {
	*secret
	hc *http.Client
}

func (o *ownedClient) Close() error {
	if o.hc != nil {
		o.hc.CloseIdleConnections()
	}
	return nil
}
