package tableau

import (
	"context"
	"net"
	"net/url"
	"strings"

	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
	"github.com/snowpat/snowpat/secrets"
)

// Scheme is the URL scheme the adapter registers with package push.
const Scheme = "tableau"

// The query parameters a tableau URL may carry.
const (
	// ParamCredentials is the URL of a secret store secret (url-escaped)
	// holding the Tableau credentials as JSON:
	// {"personalAccessTokenName":…,"personalAccessTokenSecret":…} or
	// {"clientId":…,"secretId":…,"secretValue":…,"username":…}. Without
	// it the credentials come from the environment (EnvPATName, …).
	ParamCredentials = "credentials"
	// ParamInsecure ("insecure=true") sends the requests over plain http
	// instead of https. It is allowed to any host, with a warning logged,
	// and meant for loopback test servers.
	ParamInsecure = "insecure"
)

// DefaultSite is the literal that names a server's default site in a URL,
// whose contentUrl is empty.
const DefaultSite = "default"

func init() { push.Register(Scheme, NewOpener(nil)) }

// OpenerOptions configure an Opener. There are none yet beyond
// push.Options; the type exists so that adapters are opened alike.
type OpenerOptions struct{}

// NewOpener returns the opener the adapter registers, for programs that
// register it on their own push.URLMux.
func NewOpener(*OpenerOptions) push.Opener { return openURL }

// openURL opens
// "tableau://<server>[:port]/<site>/{datasources|workbooks}/<name or id>".
func openURL(ctx context.Context, u *url.URL, o push.Options) (driver.Destination, error) {
	if err := push.CheckQuery(u, ParamCredentials, ParamInsecure); err != nil {
		return nil, err
	}
	insecure, err := push.QueryBool(u, ParamInsecure)
	if err != nil {
		return nil, err
	}
	site, k, content, err := parsePath(u)
	if err != nil {
		return nil, err
	}
	scheme := "https"
	if insecure {
		scheme = "http"
	}
	base, err := httpx.Endpoint(scheme+"://"+u.Host, insecure, o.Logger)
	if err != nil {
		return nil, push.NewError("Open", push.ErrInvalidArgument, "%v", err)
	}
	var creds credentialSource = envSource{getenv: o.Getenv}
	if raw := u.Query().Get(ParamCredentials); raw != "" {
		store, err := secrets.OpenStore(ctx, raw)
		if err != nil {
			// The store's error names its URL without secrets.
			return nil, push.NewError("Open", push.ErrInvalidArgument, "the credentials store: %v", err)
		}
		creds = storeSource{store: store}
	} else if _, err := creds.read(ctx); err != nil {
		return nil, push.NewError("Open", push.ErrInvalidArgument, "%v", err)
	}
	c := &client{base: base, http: httpx.NoRedirects(o.HTTPClient), pol: httpx.NewPolicy(o), log: o.Logger, creds: creds, siteURL: site,
		pollInterval: o.PollInterval, testTimeout: o.TestTimeout}
	return &dest{c: c, kind: k, content: content, identity: identity(u, site, k, content)}, nil
}

// parsePath splits the URL's path into the site's contentUrl, the kind of
// content and its name or id. Each segment is unescaped on its own, so a
// name may hold a '/' written as %2F.
func parsePath(u *url.URL) (site string, k kind, content string, err error) {
	bad := func(format string, args ...any) error {
		return push.NewError("Open", push.ErrInvalidArgument, format+`; want tableau://<server>[:port]/<site contentUrl or "default">/{datasources|workbooks}/<name or id>`, args...)
	}
	if u.Opaque != "" || u.Fragment != "" || u.Hostname() == "" {
		return "", kind{}, "", bad("malformed URL")
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil {
			return "", kind{}, "", bad("bad port %q", p)
		}
	}
	parts := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	if len(parts) != 3 {
		return "", kind{}, "", bad("the path has %d segments, not 3", len(parts))
	}
	segs := make([]string, 3)
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil || s == "" {
			return "", kind{}, "", bad("segment %d of the path is empty or badly escaped", i+1)
		}
		segs[i] = s
	}
	switch segs[1] {
	case datasources.plural:
		k = datasources
	case workbooks.plural:
		k = workbooks
	default:
		return "", kind{}, "", bad("%q is neither datasources nor workbooks", segs[1])
	}
	site = segs[0]
	if site == DefaultSite {
		site = ""
	}
	return site, k, segs[2], nil
}

// identity is the canonical URL: host lowercased, port 443 dropped, ids
// lowercased, each segment escaped the same way, no query.
func identity(u *url.URL, site string, k kind, content string) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != "443" {
		host += ":" + p
	}
	if site == "" {
		site = DefaultSite
	}
	if luid.MatchString(content) {
		content = strings.ToLower(content)
	}
	return Scheme + "://" + host + "/" + url.PathEscape(site) + "/" + k.plural + "/" + url.PathEscape(content)
}
