package vault

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme this package registers with package secrets.
const Scheme = "vault"

func init() { secrets.Register(Scheme, openURL) }

var errBadURL = errors.New(`vault: want "vault://<mount>/<path>" with no user, port, query or fragment`)

// openURL opens "vault://<mount>/<path>" with a client configured from the
// environment as the Vault CLI's is: VAULT_ADDR, VAULT_TOKEN,
// VAULT_NAMESPACE, VAULT_CACERT and the rest that api.DefaultConfig and
// api.NewClient read.
func openURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	if err := secrets.CheckQuery(u); err != nil {
		return nil, err
	}
	mount, path, err := parseURL(u)
	if err != nil {
		return nil, err
	}
	cfg := api.DefaultConfig()
	if cfg.Error != nil {
		return nil, cfg.Error
	}
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	d, err := newSecret(c, mount, path)
	if err != nil {
		return nil, err
	}
	return &ownedClient{secret: d, hc: cfg.HttpClient}, nil
}

// parseURL returns the mount and path u names. The mount is the host, so
// it is one segment; a nested mount needs New.
func parseURL(u *url.URL) (mount, path string, err error) {
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
