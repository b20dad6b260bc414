package gcpsm

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Scheme is the URL scheme gcpsm registers with package secrets.
const Scheme = "gcpsm"

// ParamEmulatorHost is the query parameter that connects to an emulator
// or a test server at host:port, over plaintext and without credentials.
const ParamEmulatorHost = "emulator_host"

func init() {
	secrets.Register(Scheme, openURL)
	secrets.RegisterIdentity(Scheme, identity)
}

var errBadURL = errors.New(`gcpsm: want "gcpsm://projects/<project>/secrets/<id>" with no user, port or fragment`)

// testDialer, when a test sets it, dials the emulator_host connections,
// so that a test can see where a store would connect without connecting.
var testDialer func(ctx context.Context, addr string) (net.Conn, error)

// openURL opens "gcpsm://projects/my-project/secrets/powerbi": host and
// path together are the secret's resource name. Credentials come from
// Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
// login, the metadata server).
//
// Query parameters: destroy_retired=true (WithDestroyRetired), and
// emulator_host=<host:port>, which connects to an emulator or test server
// over plaintext without credentials, as Google's other emulators'
// *_EMULATOR_HOST variables do. That host must be loopback unless
// insecure=true is given too: nothing authenticates the server, so
// whoever answers at that address receives every value written.
func openURL(ctx context.Context, u *url.URL) (driver.Secret, error) {
	p, err := parseURL(u)
	if err != nil {
		return nil, err
	}
	var copts []option.ClientOption
	if p.emulator != "" {
		host, _, _ := net.SplitHostPort(p.emulator)
		err := secrets.Cleartext{
			Scheme:   Scheme,
			Host:     host,
			Risk:     "emulator_host connects without TLS and without authenticating the server: secret values would cross the network unencrypted to whoever answers",
			Allow:    "point it at a local emulator, or add insecure=true to the URL",
			Insecure: p.insecure,
		}.Check(ctx)
		if err != nil {
			return nil, err
		}
		copts = append(copts, option.WithEndpoint(p.emulator), option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
		if testDialer != nil {
			copts = append(copts, option.WithGRPCDialOption(grpc.WithContextDialer(testDialer)))
		}
	}
	client, err := secretmanager.NewClient(ctx, copts...)
	if err != nil {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	s, err := newSecret(client, p.name, p.opts...)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	s.onClose = client.Close
	return s, nil
}

// identity is "gcpsm://projects/<project>/secrets/<id>", with
// "?emulator_host=<host:port>" (host in lowercase) when one is set.
//
// What it cannot see, erring towards "different": a project named by its
// id in one URL and by its number in another (only GCP knows that they are
// one). Secret ids are case-sensitive in GCP, and so is the identity.
func identity(u *url.URL) (string, error) {
	p, err := parseURL(u)
	if err != nil {
		return "", err
	}
	id := url.URL{Scheme: Scheme, Host: "projects", Path: strings.TrimPrefix(p.name, "projects")}
	if p.emulator != "" {
		id.RawQuery = url.Values{ParamEmulatorHost: {strings.ToLower(p.emulator)}}.Encode()
	}
	return id.String(), nil
}

// parsedURL is what a gcpsm URL says; the opener and the identity share
// it so that they agree.
type parsedURL struct {
	name     string
	opts     []Option
	emulator string // host:port, or ""
	insecure bool
}

func parseURL(u *url.URL) (*parsedURL, error) {
	if err := secrets.CheckQuery(u, "destroy_retired", ParamEmulatorHost, secrets.InsecureParam); err != nil {
		return nil, err
	}
	if u.Opaque != "" || u.User != nil || u.Port() != "" || u.Fragment != "" || u.Host != "projects" {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	p := &parsedURL{name: u.Host + u.Path}
	q := u.Query()
	switch q.Get("destroy_retired") {
	case "", "false":
	case "true":
		p.opts = append(p.opts, WithDestroyRetired())
	default:
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("gcpsm: destroy_retired is true or false")}
	}
	if _, _, err := splitName(p.name); err != nil {
		return nil, err
	}
	var err error
	if p.insecure, err = secrets.ParseInsecure(u); err != nil {
		return nil, err
	}
	if h := q.Get(ParamEmulatorHost); h != "" {
		host, port, err := net.SplitHostPort(h)
		if err != nil || host == "" || port == "" {
			return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument,
				Err: errors.New("gcpsm: emulator_host is host:port (an IPv6 address in brackets)")}
		}
		p.emulator = h
	}
	return p, nil
}
