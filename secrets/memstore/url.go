package memstore

import (
	"context"
	"net/url"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme memstore registers with package secrets.
const Scheme = "mem"

func init() {
	secrets.Register(Scheme, OpenURL)
	secrets.RegisterIdentity(Scheme, IdentityURL)
}

// OpenURL opens "mem://name": the host and path together are the name. It
// is the opener the package registers, for programs that build their own
// secrets.URLMux (a demonstration that must open nothing but memory).
func OpenURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	name, err := nameFromURL(u)
	if err != nil {
		return nil, err
	}
	return openSecret(name), nil
}

// IdentityURL is "mem://" and the name, exactly as OpenStore keys the
// process's secrets by it: "mem://a/b" and "mem://a/b?" are one secret,
// "mem://a//b" and "mem://A/b" are others. It is the identifier the
// package registers, for programs with their own secrets.URLMux.
func IdentityURL(u *url.URL) (string, error) {
	name, err := nameFromURL(u)
	if err != nil {
		return "", err
	}
	return Scheme + "://" + name, nil
}

func nameFromURL(u *url.URL) (string, error) {
	if err := secrets.CheckQuery(u); err != nil {
		return "", err
	}
	if u.Opaque != "" || u.User != nil || u.Fragment != "" {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	name := u.Host + u.Path
	if name == "" {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	return name, nil
}
