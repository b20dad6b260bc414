package gcpsm

import (
	"context"
	"errors"
	"net/url"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Scheme is the URL scheme gcpsm registers with package secrets.
const Scheme = "gcpsm"

func init() { secrets.Register(Scheme, openURL) }

var errBadURL = errors.New(`gcpsm: want "gcpsm://projects/<project>/secrets/<id>" with no user, port or fragment`)

// openURL opens "gcpsm://projects/my-project/secrets/powerbi": host and
// path together are the secret's resource name. Credentials come from
// Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
// login, the metadata server).
//
// Query parameters: destroy_retired=true (WithDestroyRetired), and
// emulator_host=<host:port>, which connects to an emulator or test server
// over plaintext without credentials, as Google's other emulators'
// *_EMULATOR_HOST variables do. Never point it at anything but a local
// test server.
func openURL(ctx context.Context, u *url.URL) (driver.Secret, error) {
	if err := secrets.CheckQuery(u, "destroy_retired", "emulator_host"); err != nil {
		return nil, err
	}
	if u.Opaque != "" || u.User != nil || u.Port() != "" || u.Fragment != "" || u.Host != "projects" {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	name := u.Host + u.Path
	q := u.Query()
	var opts []Option
	switch q.Get("destroy_retired") {
	case "", "false":
	case "true":
		opts = append(opts, WithDestroyRetired())
	default:
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("gcpsm: destroy_retired is true or false")}
	}
	if _, _, err := splitName(name); err != nil {
		return nil, err
	}
	var copts []option.ClientOption
	if h := q.Get("emulator_host"); h != "" {
		copts = append(copts, option.WithEndpoint(h), option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	}
	client, err := secretmanager.NewClient(ctx, copts...)
	if err != nil {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	s, err := newSecret(client, name, opts...)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	s.onClose = client.Close
	return s, nil
}
