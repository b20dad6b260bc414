package memstore

import (
	"context"
	"net/url"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme memstore registers with package secrets.
const Scheme = "mem"

func init() { secrets.Register(Scheme, OpenURL) }

// OpenURL opens "mem://name": the host and path together are the name. It
// is the opener the package registers, for programs that build their own
// secrets.URLMux (a demonstration that must open nothing but memory).
func OpenURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	if err := secrets.CheckQuery(u); err != nil {
		return nil, err
	}
	if u.Opaque != "" || u.User != nil || u.Fragment != "" {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	name := u.Host + u.Path
	if name == "" {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	return openSecret(name), nil
}
