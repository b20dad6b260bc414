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
	secrets.Register(Scheme, openURL)
	secrets.RegisterIdentity(Scheme, identity)
}

// openURL opens "mem://name": the host and path together are the name.
func openURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	name, err := nameFromURL(u)
	if err != nil {
		return nil, err
	}
	return openSecret(name), nil
}

// identity is "mem://" and the name, exactly as OpenStore keys the
// process's secrets by it: "mem://a/b" and "mem://a/b?" are one secret,
// "mem://a//b" and "mem://A/b" are others.
func identity(u *url.URL) (string, error) {
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
