package filestore

import (
	"context"
	"errors"
	"net/url"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme filestore registers with package secrets.
const Scheme = "file"

func init() { secrets.Register(Scheme, openURL) }

var errBadURL = errors.New(`filestore: want "file:///absolute/path" with no host, user, query or fragment`)

// openURL opens "file:///var/lib/snowpat/powerbi": the path is the
// secret's directory, held to OpenStore's rules (absolute, clean, below
// RootEnv's root when it is set).
func openURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	if err := secrets.CheckQuery(u); err != nil {
		return nil, err
	}
	if u.Opaque != "" || u.Host != "" || u.User != nil || u.Fragment != "" || u.Path == "" || u.Path[0] != '/' {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	return openSecret(u.Path)
}
