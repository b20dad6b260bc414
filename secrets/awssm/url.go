package awssm

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme awssm registers with package secrets.
const Scheme = "awssm"

func init() {
	secrets.Register(Scheme, openURL)
	secrets.RegisterIdentity(Scheme, identity)
}

var errBadURL = errors.New(`awssm: want "awssm://<secret-name>" or "awssm:///<secret-name>" with no user, port or fragment`)

// openURL opens "awssm://team/powerbi?region=eu-west-1". The secret's name
// is the host and path together, so that names with '/' read naturally;
// names a host cannot carry (with '@', say) go in the path of
// "awssm:///name". Percent-escapes in the path are decoded.
//
// Query parameters: region, endpoint (a base URL, for LocalStack-style
// endpoints and tests), insecure (true lets the endpoint be plain http to
// a host that is not loopback), profile (a shared-config profile),
// recovery_window_days (7 to 30) and force_delete (true). Credentials come
// from the SDK's default chain: environment, shared files, SSO, web
// identity, container and instance roles.
func openURL(ctx context.Context, u *url.URL) (driver.Secret, error) {
	p, err := parseURL(ctx, u)
	if err != nil {
		return nil, err
	}
	if err := p.checkEndpoint(ctx); err != nil {
		return nil, err
	}
	transport := ownTransport(&p.cfg)
	client := secretsmanager.NewFromConfig(p.cfg, p.clientOptions)
	s, err := newSecret(client, p.name, p.opts...)
	if err != nil {
		transport.CloseIdleConnections()
		return nil, err
	}
	s.onClose = transport.CloseIdleConnections
	return s, nil
}

// parsedURL is what an awssm URL and the environment say, before any
// connection: the opener and the identity share it so that they agree.
type parsedURL struct {
	name     string
	opts     []Option
	endpoint string // the URL's endpoint parameter, or ""
	insecure bool
	cfg      aws.Config
}

func parseURL(ctx context.Context, u *url.URL) (*parsedURL, error) {
	if err := secrets.CheckQuery(u, "region", "endpoint", secrets.InsecureParam, "profile", "recovery_window_days", "force_delete"); err != nil {
		return nil, err
	}
	name, err := nameFromURL(u)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	opts, err := deleteOptions(q)
	if err != nil {
		return nil, err
	}
	insecure, err := secrets.ParseInsecure(u)
	if err != nil {
		return nil, err
	}
	var loadOpts []func(*config.LoadOptions) error
	if r := q.Get("region"); r != "" {
		loadOpts = append(loadOpts, config.WithRegion(r))
	}
	if p := q.Get("profile"); p != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(p))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	if cfg.Region == "" {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("awssm: no region: add ?region= to the URL or set AWS_REGION")}
	}
	return &parsedURL{name: name, opts: opts, endpoint: q.Get("endpoint"), insecure: insecure, cfg: cfg}, nil
}

func (p *parsedURL) clientOptions(o *secretsmanager.Options) {
	if p.endpoint != "" {
		o.BaseEndpoint = aws.String(p.endpoint)
	}
}

// testDial, when a test sets it, replaces the transport's dialer, so
// that a test can see where a store opened by URL would connect without
// connecting anywhere.
var testDial func(ctx context.Context, network, addr string) (net.Conn, error)

// ownTransport gives the Secrets Manager client an HTTP transport of its
// own, so that closing the Store can close its idle connections (the
// SDK's client keeps them, and their goroutines, for the life of the
// process). The transport is a copy of the one the SDK configured, custom
// CA bundle (AWS_CA_BUNDLE) included; like the SDK's client it does not
// follow redirects.
func ownTransport(cfg *aws.Config) *http.Transport {
	var tr *http.Transport
	if bc, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok {
		tr = bc.GetTransport()
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	if testDial != nil {
		tr.DialContext = testDial
	}
	cfg.HTTPClient = &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return tr
}

func nameFromURL(u *url.URL) (string, error) {
	if u.Opaque != "" || u.User != nil || u.Port() != "" || u.Fragment != "" {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	name := u.Host + u.Path
	if u.Host == "" {
		name = strings.TrimPrefix(u.Path, "/")
	}
	if name == "" {
		return "", &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	return name, nil
}

func deleteOptions(q url.Values) ([]Option, error) {
	var opts []Option
	if d := q.Get("recovery_window_days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("awssm: recovery_window_days is not a number")}
		}
		opts = append(opts, WithRecoveryWindow(n))
	}
	switch q.Get("force_delete") {
	case "", "false":
	case "true":
		if len(opts) > 0 {
			return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("awssm: force_delete and recovery_window_days exclude each other")}
		}
		opts = append(opts, WithForceDelete())
	default:
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errors.New("awssm: force_delete is true or false")}
	}
	return opts, nil
}
